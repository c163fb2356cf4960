"""`python -m gwssim --port 8090 ...`"""

from gwssim.cli import main

main()
