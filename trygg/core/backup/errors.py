"""The two ways a backup or a restore stops, each with its exit status."""


class BackupRefused(Exception):
    """Bad input (a damaged or partial backup, a database that is not empty, a directory in
    use): nothing was changed. Exit status 2."""


class BackupFailed(Exception):
    """Something broke on the way (a missing program, a full disk, counts that differ after a
    restore). Exit status 1."""
