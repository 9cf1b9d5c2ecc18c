"""Sends WM_DELETE_WINDOW to an X window, as a window manager's close button
does (the test desktops have no window manager). Python's standard library
only, through Xlib.

    python3 tests/app/close_window.py WINDOW_ID    (display from $DISPLAY)

Used by tests/app/idle-memory.sh, the tray tests (src-tauri/tests/support/
windows.rs) and the bench's tray phase (bench/harness/tray.py).
"""
import ctypes
import os
import sys


def close_window(display: str, window: int) -> None:
    x = ctypes.CDLL("libX11.so.6")
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                             ctypes.c_void_p]
    x.XFlush.argtypes = [ctypes.c_void_p]
    x.XCloseDisplay.argtypes = [ctypes.c_void_p]

    class ClientMessage(ctypes.Structure):
        _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong),
                    ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                    ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                    ("format", ctypes.c_int), ("data", ctypes.c_long * 5),
                    ("pad", ctypes.c_long * 12)]

    d = x.XOpenDisplay(display.encode())
    if not d:
        raise RuntimeError(f"cannot open display {display}")
    event = ClientMessage(type=33, send_event=1, display=d, window=window, format=32,
                          message_type=x.XInternAtom(d, b"WM_PROTOCOLS", 0))
    event.data[0] = x.XInternAtom(d, b"WM_DELETE_WINDOW", 0)
    sent = x.XSendEvent(d, window, 0, 0, ctypes.byref(event))
    x.XFlush(d)
    x.XCloseDisplay(d)
    if not sent:
        raise RuntimeError(f"XSendEvent to window {window} failed")


if __name__ == "__main__":
    close_window(os.environ["DISPLAY"], int(sys.argv[1]))
