"""Staff screens. They call services and own no rules of their own."""
