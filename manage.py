#!/usr/bin/env python
from ctoready.cli import main

if __name__ == "__main__":
    main()
