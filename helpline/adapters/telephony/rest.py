"""Twilio's REST API behind the Telephony port (tests point it at a local HTTP server)."""

from __future__ import annotations

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

_TIMEOUT_SECONDS = 5  # a webhook waits on this; Twilio gives up on a webhook after 15 s


class TwilioTelephony:
    def __init__(self, account_sid: str, auth_token: str, from_number: str, api_url: str) -> None:
        http = TwilioHttpClient(timeout=_TIMEOUT_SECONDS)
        self.client = Client(account_sid, auth_token, http_client=http)
        self.client.api.base_url = api_url.rstrip("/")
        self.from_number = from_number

    def send_sms(self, to: str, body: str) -> str:
        message = self.client.messages.create(to=to, from_=self.from_number, body=body)
        return str(message.sid)

    def place_call(self, to: str, url: str, status_url: str) -> str:
        call = self.client.calls.create(
            to=to,
            from_=self.from_number,
            url=url,
            status_callback=status_url,
            status_callback_event=["completed"],
        )
        return str(call.sid)
