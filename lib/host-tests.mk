# host tests: filled in below
