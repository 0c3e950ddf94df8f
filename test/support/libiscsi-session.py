#!/usr/bin/env python3
"""One iSCSI session held open with libiscsi (through ctypes), driven by JSON lines on stdin.

Usage: libiscsi-session.py PORTAL TARGET_IQN INITIATOR_IQN LUN [CHAP_USER]; the CHAP secret comes
from the environment (LIBISCSI_CHAP_PASSWORD), never argv. Logs in once (to LUN), then answers
each request with one JSON line, in the same session:
  {"op": "luns"}                                   -> {"luns": [0, 1, ...]}      (REPORT LUNS)
  {"op": "size", "lun": n}                         -> {"blocks": b, "block_size": s}
  {"op": "write", "lun": n, "lba": l, "file": p}   -> {"written": bytes}
  {"op": "read", "lun": n, "lba": l, "bytes": k}   -> {"sha256": hex}
A command answered CHECK CONDITION (a unit attention, e.g. "reported LUNs data has changed")
is sent again, up to 5 times; `attentions` counts them. Errors answer {"error": "..."}.
"""
import ctypes
import hashlib
import json
import os
import sys

lib = ctypes.CDLL("libiscsi.so.7")
vp = ctypes.c_void_p
lib.iscsi_create_context.restype = vp
lib.iscsi_create_context.argtypes = [ctypes.c_char_p]
lib.iscsi_set_targetname.argtypes = [vp, ctypes.c_char_p]
lib.iscsi_set_session_type.argtypes = [vp, ctypes.c_int]
lib.iscsi_set_initiator_username_pwd.argtypes = [vp, ctypes.c_char_p, ctypes.c_char_p]
lib.iscsi_full_connect_sync.argtypes = [vp, ctypes.c_char_p, ctypes.c_int]
lib.iscsi_get_error.restype = ctypes.c_char_p
lib.iscsi_get_error.argtypes = [vp]
lib.iscsi_reportluns_sync.restype = vp
lib.iscsi_reportluns_sync.argtypes = [vp, ctypes.c_int, ctypes.c_int]
lib.iscsi_readcapacity16_sync.restype = vp
lib.iscsi_readcapacity16_sync.argtypes = [vp, ctypes.c_int]
lib.scsi_datain_unmarshall.restype = vp
lib.scsi_datain_unmarshall.argtypes = [vp]
lib.scsi_free_scsi_task.argtypes = [vp]
lib.iscsi_write16_sync.restype = vp
lib.iscsi_write16_sync.argtypes = [vp, ctypes.c_int, ctypes.c_uint64, ctypes.c_char_p, ctypes.c_uint32,
                                   ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                   ctypes.c_int]


class IoVec(ctypes.Structure):
    _fields_ = [("iov_base", vp), ("iov_len", ctypes.c_size_t)]


lib.iscsi_read16_iov_sync.restype = vp
lib.iscsi_read16_iov_sync.argtypes = [vp, ctypes.c_int, ctypes.c_uint64, ctypes.c_uint32, ctypes.c_int,
                                      ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                      ctypes.POINTER(IoVec), ctypes.c_int]
lib.iscsi_logout_sync.argtypes = [vp]
lib.iscsi_destroy_context.argtypes = [vp]

GOOD, CHECK_CONDITION = 0, 2
attentions = 0


def command(ctx, send):
    """Sends until the answer is not CHECK CONDITION; returns the task (status GOOD) or raises."""
    global attentions
    for _ in range(5):
        task = send()
        if not task:
            raise RuntimeError(lib.iscsi_get_error(ctx).decode())
        status = ctypes.cast(task, ctypes.POINTER(ctypes.c_int))[0]
        if status == GOOD:
            return task
        lib.scsi_free_scsi_task(task)
        if status != CHECK_CONDITION:
            raise RuntimeError(f"SCSI status {status}")
        attentions += 1
    raise RuntimeError("still CHECK CONDITION")


def block_size(ctx, lun):
    task = command(ctx, lambda: lib.iscsi_readcapacity16_sync(ctx, lun))
    rc = lib.scsi_datain_unmarshall(task)
    last = ctypes.cast(rc, ctypes.POINTER(ctypes.c_uint64))[0]
    size = ctypes.cast(rc + 8, ctypes.POINTER(ctypes.c_uint32))[0]
    lib.scsi_free_scsi_task(task)
    return last + 1, size


def handle(ctx, req):
    op = req["op"]
    if op == "luns":
        task = command(ctx, lambda: lib.iscsi_reportluns_sync(ctx, 0, 16384))
        lst = lib.scsi_datain_unmarshall(task)
        n = ctypes.cast(lst, ctypes.POINTER(ctypes.c_uint32))[0]
        luns = [ctypes.cast(lst + 4, ctypes.POINTER(ctypes.c_uint16))[i] for i in range(n)]
        lib.scsi_free_scsi_task(task)
        return {"luns": sorted(luns)}
    lun = int(req["lun"])
    blocks, bs = block_size(ctx, lun)
    if op == "size":
        return {"blocks": blocks, "block_size": bs}
    if op == "write":
        with open(req["file"], "rb") as f:
            data = f.read()
        task = command(ctx, lambda: lib.iscsi_write16_sync(ctx, lun, req["lba"], data, len(data), bs,
                                                           0, 0, 0, 0, 0))
        lib.scsi_free_scsi_task(task)
        return {"written": len(data)}
    if op == "read":
        size = int(req["bytes"])
        buf = ctypes.create_string_buffer(size)
        iov = IoVec(ctypes.cast(buf, vp), size)
        task = command(ctx, lambda: lib.iscsi_read16_iov_sync(ctx, lun, req["lba"], size, bs, 0, 0, 0, 0, 0,
                                                              ctypes.byref(iov), 1))
        lib.scsi_free_scsi_task(task)
        return {"sha256": hashlib.sha256(buf.raw).hexdigest()}
    raise RuntimeError(f"unknown op {op}")


def main():
    portal, target, initiator, lun = sys.argv[1:5]
    ctx = lib.iscsi_create_context(initiator.encode())
    lib.iscsi_set_targetname(ctx, target.encode())
    lib.iscsi_set_session_type(ctx, 2)  # ISCSI_SESSION_NORMAL
    if len(sys.argv) > 5:
        secret = os.environ.get("LIBISCSI_CHAP_PASSWORD", "")
        lib.iscsi_set_initiator_username_pwd(ctx, sys.argv[5].encode(), secret.encode())
    if lib.iscsi_full_connect_sync(ctx, portal.encode(), int(lun)) != 0:
        print(json.dumps({"error": lib.iscsi_get_error(ctx).decode()}), flush=True)
        return 1
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = handle(ctx, json.loads(line))
        except Exception as e:  # answered, the session stays
            out = {"error": str(e)}
        out["attentions"] = attentions
        print(json.dumps(out), flush=True)
    lib.iscsi_logout_sync(ctx)
    lib.iscsi_destroy_context(ctx)
    return 0


if __name__ == "__main__":
    sys.exit(main())
