"""The dutyline command line, the simulator and the demo (the web app is in webhooks/)."""
