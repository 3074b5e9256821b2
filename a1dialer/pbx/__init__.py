"""The A1PBX REST client, its error types and the bundled PBX simulator."""
