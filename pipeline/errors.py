"""The one exception type the CLI turns into a one-line message and a non-zero exit."""


class HakushoError(Exception):
    """A problem with the user's input or environment, worded for the user.

    The message names the file (and page where it applies) and says what to do;
    the CLI prints it on one line as ``hakusho: error: <message>`` and exits 1.
    """
