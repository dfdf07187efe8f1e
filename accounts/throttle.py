"""Rate limits on sign-in attempts, per address and per IP, kept in the database.

The table is shared by every web worker and machine, which a per-process counter is not.
"""

from datetime import timedelta

from peewee import fn

from accounts.models import SignInAttempt

WINDOW = timedelta(minutes=15)
PER_ADDRESS = 5
PER_IP = 20


def allow_attempt(email, ip, now, per_address=PER_ADDRESS, per_ip=PER_IP, window=WINDOW):
    """Count this attempt; False when the address or the IP has used up its attempts."""
    since = now - window
    SignInAttempt.delete().where(SignInAttempt.at < now - 4 * window).execute()
    keys = {f"ip:{ip or '-'}": per_ip}
    if email:
        keys[f"email:{email.strip().lower()}"] = per_address
    counts = dict(SignInAttempt
                  .select(SignInAttempt.key, fn.COUNT(SignInAttempt.id))
                  .where(SignInAttempt.key.in_(list(keys)), SignInAttempt.at >= since)
                  .group_by(SignInAttempt.key)
                  .tuples())
    if any(counts.get(key, 0) >= limit for key, limit in keys.items()):
        return False
    SignInAttempt.insert_many([{"key": key, "at": now} for key in keys]).execute()
    return True
