"""`python -m routing.language_detection`: one message a line on stdin, one code a line out."""

import sys

from routing.language_detection.detector import detect_lines


def main() -> None:
    for code in detect_lines(sys.stdin):
        print(code, flush=False)


if __name__ == "__main__":
    main()
