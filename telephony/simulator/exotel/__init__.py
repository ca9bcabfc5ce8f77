"""A simulated Exotel beside the simulated Twilio: an ExoPhone's flow of applets (Passthru, Gather,
Greeting, Connect, StatusCallback) run against Samvaad's real HTTP service, handsets that hear, press,
ring and talk, and a fake REST API (Calls/connect, Sms/send) for Samvaad's jobs. See ``flow`` for what is
simulated and the Exotel pages each behaviour follows, and docs/simulator.md.
"""

from telephony.simulator.exotel.flow import ExoCall, ExoError, ExotelSimulator, Handset

__all__ = ["ExoCall", "ExoError", "ExotelSimulator", "Handset"]
