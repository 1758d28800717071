"""One module per report; importing this package registers them all."""
