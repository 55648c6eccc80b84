enum PlaceholderCharterServer {}
