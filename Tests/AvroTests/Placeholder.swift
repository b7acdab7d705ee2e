import Testing

// Placeholder: replaced by the real tests.
