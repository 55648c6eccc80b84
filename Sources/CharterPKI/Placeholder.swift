enum PlaceholderCharterPKI {}
