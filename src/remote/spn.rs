//! Save Page Now 2: submit a live URL to the Wayback Machine and poll until it is captured.
