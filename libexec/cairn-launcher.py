#!/usr/bin/python3
# Starts programs for cairnd (src/system/launcher.ts). Node's child_process forks the whole daemon to
# start a program, and the fork blocks cairnd's event loop for as long as copying its page tables
# takes (about 10 ms per program on the VMs Cairn runs on, more as the heap grows). Python's
# subprocess starts programs with vfork, without copying them, from this small process, while
# cairnd goes on serving.
#
# Protocol: one JSON object a line on stdin, one a line on stdout.
#   run:   {"id": n, "argv": [...], "env": {...}, "stdin": base64 | null, "max": bytes}
#   kill:  {"id": n, "kill": true}           (SIGKILL to that program, if it still runs)
#   ping:  {"id": n, "ping": true}           answered at once with {"id": n, "pong": true}
#   reply: {"id": n, "code": exit status, or -signal, "stdout": text, "stderr": text,
#           "overflow": true when stdout was longer than "max" (it is cut there)}
#          {"id": n, "error": "ENOENT", "message": "..."} when the program could not start.
# Nothing goes through a shell: argv is passed as it is. End of stdin ends the launcher (cairnd
# closed it, or exited); programs still running are left to finish, as Node leaves its children.
import base64
import errno
import json
import signal
import subprocess
import sys
import threading

out_lock = threading.Lock()
procs_lock = threading.Lock()
# id -> the running program; None while it is being started.
procs = {}
killed_early = set()


def reply(msg):
    line = (json.dumps(msg, separators=(",", ":")) + "\n").encode()
    with out_lock:
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()


def run(req):
    rid = req["id"]
    try:
        answer = start_and_wait(req)
    except Exception as e:  # a bad request (an argv with a NUL byte) or a bug: answer, never hang
        # Never the argv itself: it may hold a secret (cairnd shows it masked).
        answer = {"id": rid, "error": "EINVAL", "message": f"could not start the program: {e}"}
    with procs_lock:
        procs.pop(rid, None)
        killed_early.discard(rid)
    reply(answer)


def start_and_wait(req):
    rid = req["id"]
    data = req.get("stdin")
    try:
        p = subprocess.Popen(
            req["argv"],
            stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=req["env"],
            close_fds=True,
        )
    except OSError as e:
        code = errno.errorcode.get(e.errno or 0, "EIO")
        return {"id": rid, "error": code, "message": f"spawn {req['argv'][0]} {code}"}
    with procs_lock:
        procs[rid] = p
        if rid in killed_early:
            p.kill()
    out, err = p.communicate(base64.b64decode(data) if data is not None else None)
    limit = int(req.get("max", 64 * 1024 * 1024))
    return {
        "id": rid,
        "code": p.returncode,
        "stdout": out[:limit].decode("utf-8", "replace"),
        "stderr": err.decode("utf-8", "replace"),
        "overflow": len(out) > limit,
    }


def kill(rid):
    with procs_lock:
        if rid not in procs:
            return  # it has ended already
        p = procs[rid]
        if p is None:
            # The kill came while the program was being started: kill it as soon as it is.
            killed_early.add(rid)
            return
    try:
        p.kill()
    except ProcessLookupError:
        pass


def main():
    # A Ctrl-C at cairnd's terminal reaches this process too: cairnd decides when to stop, and
    # closes stdin then. (A handler, not SIG_IGN, so the programs started still get the default.)
    signal.signal(signal.SIGINT, lambda *_: None)
    for line in sys.stdin.buffer:
        req = json.loads(line)
        if req.get("ping"):
            reply({"id": req["id"], "pong": True})
        elif req.get("kill"):
            kill(req["id"])
        else:
            with procs_lock:
                procs[req["id"]] = None
            threading.Thread(target=run, args=(req,), daemon=True).start()


if __name__ == "__main__":
    main()
