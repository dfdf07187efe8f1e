"""People who use the web interface: users and roles, sign-in links, sessions, the audit log."""
