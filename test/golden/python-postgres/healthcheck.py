"""The image's HEALTHCHECK (D12): exit 0 when the service answers its health path with 200, else 1.

It uses Python's standard library, so the image needs no curl or wget.
"""
import sys
import urllib.request

URL = "http://127.0.0.1:8000/healthz"


def main():
    # No proxy: a proxy named in the environment must not answer for this container.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(URL, timeout=2) as response:
            return 0 if response.status == 200 else 1
    except Exception:  # refused, timed out, or an HTTP error status: all mean unhealthy
        return 1


if __name__ == "__main__":
    sys.exit(main())
