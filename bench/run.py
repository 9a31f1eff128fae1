#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""fw benchmark runner: fw-restore/fw-save against iptables-nft and the kernel.

    bench/run.py [--quick] [--sizes 1000,10000] [--shapes simple,chains]
                 [--reps N] [--work DIR] [--no-context] [--json FILE]

Every measurement runs in a fresh network namespace (unshare -n); nothing
touches the host's ruleset. Tools are interleaved (the order rotates with
each repetition) and medians are reported. The first repetition also checks
that fw and iptables-nft leave the same kernel state and print the same
text. See docs/bench.md for the columns. Needs root, python3 (stdlib only),
cc and libmnl headers (for bench/nftdump.c).

Binaries: $FW_BIN (default: ./build of the source tree).
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
GEN = os.path.join(HERE, "gen.py")
MIB = 1024.0 * 1024.0

# ---------------------------------------------------------------- inner --
# "run.py --inner SPEC" runs inside the new namespace: each step goes
# through bench/spawn.c, which times it from fork() to wait4() and takes
# peak RSS and CPU times from wait4(). The results go to stdout as JSON.


def run_step(st, spawn, errdir):
    argv = st["argv"]
    errpath = os.path.join(errdir, "stderr.%d" % os.getpid())
    p = subprocess.run([spawn, st.get("stdin") or "/dev/null",
                        st.get("stdout") or "/dev/null", errpath] + argv,
                       stdout=subprocess.PIPE, text=True)
    try:
        with open(errpath, errors="replace") as f:
            err = f.read(16384)
        os.unlink(errpath)
    except OSError:
        err = ""
    try:
        rc, wall, rss, ut, stime = (int(x) for x in p.stdout.split())
    except ValueError:
        return {"rc": 127, "wall": 0.0, "rss_kb": 0, "stderr": err}
    return {"rc": rc, "wall": wall / 1e9, "rss_kb": rss, "utime": ut / 1e6,
            "stime": stime / 1e6, "stderr": err}


def inner(spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    res = []
    for st in spec["steps"]:
        r = run_step(st, spec["spawn"], spec["errdir"])
        res.append(r)
        if r["rc"] != 0 and st.get("required"):
            break
    json.dump(res, sys.stdout)
    return 0

# ---------------------------------------------------------------- outer --


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec="%.1f", none="-"):
    return none if x is None else spec % x


def ratio(a, b):
    return a / b if a is not None and b else None


def parse_kv(text, prog):
    """The --timing line of fw-restore/fw-save as a dict of numbers."""
    m = re.search(r"^%s: timing: (.*)$" % prog, text, re.M)
    if not m:
        return {}
    line = m.group(1)
    d = {}
    for key, val in re.findall(r"([a-z][a-z /]*?) ([\d.]+) ms", line):
        d[key.strip()] = float(val)
    for val, key in re.findall(r"(\d+) ([a-z][a-z -]*?)[,;)]", line + ";"):
        d.setdefault(key.strip(), int(val))
    m = re.search(r"(\d+) bytes", line)
    if m:
        d["batch bytes"] = int(m.group(1))
    return d


class Runner:
    def __init__(self, a):
        self.a = a
        self.fw = os.environ.get("FW_BIN") or os.path.join(TOP, "build")
        self.work = a.work
        os.makedirs(self.work, exist_ok=True)
        self.tmp = tempfile.mkdtemp(prefix="run-", dir=self.work)
        self.nftdump = self.build_c(os.path.join(HERE, "nftdump.c"),
                                    "nftdump", ["-lmnl"])
        self.spawn = self.build_c(os.path.join(HERE, "spawn.c"), "spawn", [])
        nfd = os.path.join(TOP, "..", "shared", "conformance", "tools",
                           "nfdump.c")
        self.nfdump = (self.build_c(nfd, "nfdump", ["-lnftnl", "-lmnl"])
                       if os.path.exists(nfd) else None)
        self.results = {"restore": {}, "save": {}, "noflush": {},
                        "meta": {"fw_bin": self.fw, "reps": a.reps,
                                 "sizes": a.sizes, "shapes": a.shapes,
                                 "kernel": os.uname().release,
                                 "loadavg": open("/proc/loadavg").read()
                                 .split()[0]}}

    # -- helpers --------------------------------------------------------
    def reps(self, n):
        """Small sizes are cheap and noisy: more repetitions there."""
        r = self.a.reps
        return r * 3 if n <= 2000 else r * 2 if n <= 20000 else r

    def log(self, msg):
        sys.stderr.write(msg + "\n")
        sys.stderr.flush()

    def build_c(self, src, name, libs):
        with open(src, "rb") as f:
            h = hashlib.sha1(f.read()).hexdigest()[:12]
        out = os.path.join(self.work, "%s-%s" % (name, h))
        if not os.path.exists(out):
            subprocess.run(["cc", "-O2", "-o", out, src] + libs, check=True)
        return out

    @staticmethod
    def cpu_busy(window=0.1):
        """The share of all CPUs' time not idle over the next window s."""
        def sample():
            with open("/proc/stat") as f:
                v = [int(x) for x in f.readline().split()[1:]]
            return sum(v), v[3] + v[4]     # idle + iowait
        t0, i0 = sample()
        time.sleep(window)
        t1, i1 = sample()
        return 1.0 - (i1 - i0) / max(t1 - t0, 1)

    def settle(self, limit=10.0):
        """
        Wait for the machine to go quiet: a namespace that held a big
        ruleset is freed by the kernel after its last process has gone,
        for a second or more of one CPU's time, and a run started meanwhile
        has one CPU less (fw-restore's parser thread and fw-save's reader
        feel it most).
        """
        t0 = time.monotonic()
        while self.cpu_busy() > 0.1 and time.monotonic() - t0 < limit:
            pass

    def ns(self, steps):
        """Run steps in one fresh network namespace; their results."""
        self.settle()
        fd, spec = tempfile.mkstemp(suffix=".json", dir=self.tmp)
        with os.fdopen(fd, "w") as f:
            json.dump({"steps": steps, "errdir": self.tmp,
                       "spawn": self.spawn}, f)
        p = subprocess.run(["unshare", "-n", "--", sys.executable,
                            os.path.abspath(__file__), "--inner", spec],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
        os.unlink(spec)
        if p.returncode != 0:
            raise SystemExit("run.py: unshare -n failed (root needed?): "
                             + p.stderr.strip())
        return json.loads(p.stdout)

    def ruleset(self, shape, n, one=False):
        path = os.path.join(self.work, "%s-%s-%d.rules"
                            % ("one" if one else "rs", shape, n))
        if not os.path.exists(path):
            with open(path + ".tmp", "w") as f:
                subprocess.run([sys.executable, GEN] + (["--one"] if one
                               else []) + [shape, str(n)], stdout=f,
                               check=True)
            os.rename(path + ".tmp", path)
        return path

    def nft_file(self, rules, fam):
        """The ruleset translated for nft -f (context), or None."""
        path = rules + ".nft"
        if os.path.exists(path):
            return path if os.path.getsize(path) else None
        tr = "iptables-restore-translate" if fam == 4 else \
            "ip6tables-restore-translate"
        if not shutil.which(tr):
            open(path, "w").close()
            return None
        with open(path, "w") as f:
            p = subprocess.run([tr, "-f", rules], stdout=f,
                               stderr=subprocess.DEVNULL)
        if p.returncode != 0:
            open(path, "w").close()
            return None
        return path

    def state_steps(self, fam, tag):
        """Untimed steps capturing the kernel state and the save text."""
        out = os.path.join(self.tmp, tag)
        ips = "iptables-nft-save" if fam == 4 else "ip6tables-nft-save"
        st = [{"argv": [ips], "stdout": out + ".save"}]
        if self.nfdump:
            st.append({"argv": [self.nfdump], "stdout": out + ".state"})
        else:
            st.append({"argv": ["nft", "--debug=netlink", "list",
                                "ruleset"], "stdout": out + ".state"})
        return st, out

    def same_state(self, a, b):
        """Compare two captured states (kernel dump and iptables save)."""
        def norm(path, state):
            try:
                with open(path, errors="replace") as f:
                    text = f.read()
            except OSError:
                return None
            if path.endswith(".save"):
                text = "".join(l for l in text.splitlines(True)
                               if not l.startswith("#"))
            elif not self.nfdump:
                text = re.sub(r"^(ip6? [a-z]+ [A-Za-z0-9_-]+) [0-9]+.*$",
                              r"\1", text, flags=re.M)
            return text
        for ext in (".state", ".save"):
            x, y = norm(a + ext, ext), norm(b + ext, ext)
            if x is None or y is None:
                return "n/a"
            if x != y:
                return "DIFF" + ext
        return "ok"

    def failure(self, r):
        line = next((l for l in r["stderr"].splitlines() if l.strip()), "")
        return "FAIL rc=%d: %s" % (r["rc"], line[:100])

    # -- restore ------------------------------------------------------------
    def restore_tools(self, shape, n, fam):
        rules = self.ruleset(shape, n)
        six = "6" if fam == 6 else ""
        tools = [
            ("fw", [os.path.join(self.fw, "fw-restore"), "-%d" % fam,
                    "--timing", rules]),
            ("ipt-nft", ["ip%stables-nft-restore" % six, rules]),
        ]
        if self.a.context:
            tools.append(("ipt-legacy",
                          ["ip%stables-legacy-restore" % six, rules]))
            nft = self.nft_file(rules, fam)
            tools.append(("nft -f", ["nft", "-f", nft] if nft else None))
        return tools

    def enccheck(self, rules, fam):
        """Direct rule encoding == the nftnl one, for every rule (no kernel)."""
        exe = os.path.join(self.fw, "enccheck")
        if not os.access(exe, os.X_OK):
            return None
        p = subprocess.run([exe] + (["-6"] if fam == 6 else []) + [rules],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True)
        return "ok" if p.returncode == 0 else (
            "DIFF" if p.returncode == 1 else "n/a")

    def bench_restore(self, shape, n, fam):
        tools = self.restore_tools(shape, n, fam)
        enc = self.enccheck(self.ruleset(shape, n), fam)
        runs = {name: [] for name, _ in tools}
        notes = {}
        tags = {}
        for rep in range(self.reps(n)):
            k = rep % len(tools)
            for name, argv in tools[k:] + tools[:k]:
                if argv is None:
                    notes[name] = "n/a (no translation)"
                    continue
                if name in notes and notes[name].startswith("FAIL"):
                    continue
                steps = [dict(argv=argv, required=True)]
                if rep == 0 and name in ("fw", "ipt-nft"):
                    st, tags[name] = self.state_steps(
                        fam, "restore-%s-%s-%d" % (name, shape, n))
                    steps += st
                res = self.ns(steps)
                r = res[0]
                if r["rc"] != 0:
                    notes[name] = self.failure(r)
                    if name == "ipt-legacy" or name == "nft -f":
                        notes[name] = "n/a: " + notes[name]
                    continue
                runs[name].append(r)
        check = None
        if "fw" in tags and "ipt-nft" in tags and not any(
                notes.get(t, "").startswith("FAIL") for t in ("fw", "ipt-nft")):
            check = self.same_state(tags["fw"], tags["ipt-nft"])
        return {"runs": runs, "notes": notes, "check": check, "enc": enc}

    # -- save ---------------------------------------------------------------
    def bench_save(self, shape, n, fam):
        rules = self.ruleset(shape, n)
        six = "6" if fam == 6 else ""
        fwsave = os.path.join(self.fw, "fw-save")
        load = ["ip%stables-nft-restore" % six, rules]
        outs = {name: os.path.join(self.tmp, "save-%s.out" % name)
                for name in ("fw", "ipt")}
        tools = [
            ("fw-save", [fwsave, "-%d" % fam, "--timing"], outs["fw"]),
            ("ipt-nft-save", ["ip%stables-nft-save" % six], outs["ipt"]),
            ("bare dump", [self.nftdump, "-%d" % fam], None),
        ]
        if self.a.context:
            tools.append(("bare wide", [self.nftdump, "-%d" % fam, "-w"],
                          None))
        runs = {t[0]: [] for t in tools}
        notes = {}
        check = None
        for rep in range(self.reps(n)):
            k = rep % len(tools)
            order = tools[k:] + tools[:k]
            steps = [dict(argv=load, required=True)]
            steps += [dict(argv=a, stdout=o) for _, a, o in order]
            res = self.ns(steps)
            if res[0]["rc"] != 0:
                notes["load"] = self.failure(res[0])
                break
            for (name, _, _), r in zip(order, res[1:]):
                if r["rc"] != 0:
                    notes[name] = self.failure(r)
                else:
                    runs[name].append(r)
            if rep == 0:
                check = self.same_save(outs["fw"], outs["ipt"])
        return {"runs": runs, "notes": notes, "check": check}

    def same_save(self, a, b):
        def text(p):
            with open(p, errors="replace") as f:
                return [l for l in f if not l.startswith("#")]
        try:
            return "ok" if text(a) == text(b) else "DIFF"
        except OSError:
            return "n/a"

    # -- noflush ------------------------------------------------------------
    def bench_noflush(self, shape, n, fam):
        rules = self.ruleset(shape, n)
        one = self.ruleset(shape, n, one=True)
        six = "6" if fam == 6 else ""
        load = ["ip%stables-nft-restore" % six, rules]
        tools = [
            ("fw", [os.path.join(self.fw, "fw-restore"), "-%d" % fam,
                    "--noflush", "--timing", one]),
            ("ipt-nft", ["ip%stables-nft-restore" % six, "--noflush", one]),
        ]
        runs = {t[0]: [] for t in tools}
        notes, tags = {}, {}
        # one rule's commit is a few ms, and the close after it waits for
        # an RCU grace period or not: single runs are bimodal (e.g. 6 or
        # 11 ms, for both tools), so take at least 11 of each
        for rep in range(max(self.reps(n), 11)):
            k = rep % len(tools)
            for name, argv in tools[k:] + tools[:k]:
                # the pause lets the kernel finish freeing what the load
                # and the last namespace left (RCU work) before the clock
                steps = [dict(argv=load, required=True),
                         dict(argv=["sleep", "0.3"], required=True),
                         dict(argv=argv, required=True)]
                if rep == 0:
                    st, tags[name] = self.state_steps(
                        fam, "noflush-%s-%s-%d" % (name, shape, n))
                    steps += st
                res = self.ns(steps)
                if res[0]["rc"] != 0:
                    notes["load"] = self.failure(res[0])
                    return {"runs": runs, "notes": notes, "check": None}
                if len(res) < 3 or res[2]["rc"] != 0:
                    notes[name] = self.failure(res[-1])
                    continue
                runs[name].append(res[2])
        check = None
        if len(tags) == 2 and not notes:
            check = self.same_state(tags["fw"], tags["ipt-nft"])
        return {"runs": runs, "notes": notes, "check": check}

    # -- driver -------------------------------------------------------------
    def run(self):
        shapes = dict(l.split() for l in subprocess.run(
            [sys.executable, GEN, "--list"], stdout=subprocess.PIPE,
            text=True, check=True).stdout.splitlines())
        t0 = time.time()
        for shape in self.a.shapes:
            fam = int(shapes[shape])
            for n in self.a.sizes:
                key = "%s/%d" % (shape, n)
                self.log("bench: %-14s restore" % key)
                self.results["restore"][key] = self.bench_restore(shape, n, fam)
                self.log("bench: %-14s save" % key)
                self.results["save"][key] = self.bench_save(shape, n, fam)
                if n == self.a.noflush_size:
                    self.log("bench: %-14s noflush" % key)
                    self.results["noflush"][key] = self.bench_noflush(
                        shape, n, fam)
                if self.a.json:
                    with open(self.a.json + ".part", "w") as f:
                        json.dump(self.results, f)
        self.results["meta"]["seconds"] = round(time.time() - t0, 1)
        if self.a.json:
            with open(self.a.json, "w") as f:
                json.dump(self.results, f, indent=1)
        shutil.rmtree(self.tmp, ignore_errors=True)
        return Report(self.results, self.a).print()


class Report:
    def __init__(self, res, a):
        self.r = res
        self.a = a
        self.verdicts = []

    def out(self, s=""):
        sys.stdout.write(s + "\n")

    @staticmethod
    def key_n(key):
        return int(key.split("/")[1])

    def med(self, runs, field="wall", scale=1000.0):
        v = median([r[field] for r in runs]) if runs else None
        return v * scale if v is not None else None

    def cpu(self, runs):
        """Median user + system CPU ms: what the tool cost, load aside."""
        v = median([r.get("utime", 0) + r.get("stime", 0) for r in runs])
        return v * 1000 if v is not None else None

    def timing(self, runs, prog, field):
        vals = [parse_kv(r["stderr"], prog).get(field) for r in runs]
        return median(vals)

    def target(self, what, value, limit, ok):
        self.verdicts.append((what, value, limit, ok))

    def print(self):
        m = self.r["meta"]
        self.out("fw bench: kernel %s; medians of %d repetitions (x3 at <= 2k "
                 "rules, x2 at <= 20k); FW_BIN=%s"
                 % (m["kernel"], m["reps"], m["fw_bin"]))
        self.out("load average at start %s, CPUs %d"
                 % (m.get("loadavg", "?"), os.cpu_count() or 0))
        self.print_restore()
        self.print_save()
        self.print_noflush()
        self.print_growth()
        self.print_targets()
        self.out("(%.0f s)" % m.get("seconds", 0))
        return 0

    def print_restore(self):
        self.out()
        self.out("RESTORE (wall ms, median; ratio = tool / iptables-nft-restore;"
                 " RSS MiB peak)")
        hdr = ("%-14s %-10s %9s %8s %7s %8s %8s  %s"
               % ("shape/size", "tool", "wall ms", "us/rule", "ratio",
                  "cpu ms", "RSS MiB", "notes"))
        self.out(hdr)
        for key, b in self.r["restore"].items():
            n = self.key_n(key)
            ipt = self.med(b["runs"].get("ipt-nft", []))
            for tool, runs in b["runs"].items():
                wall = self.med(runs)
                rss = self.med(runs, "rss_kb", 1 / 1024.0)
                note = b["notes"].get(tool, "")
                if tool == "fw" and runs:
                    commit = self.timing(runs, "fw-restore", "commit")
                    batch = self.timing(runs, "fw-restore", "batch bytes")
                    parse = self.timing(runs, "fw-restore", "parse")
                    enc = self.timing(runs, "fw-restore", "encode")
                    build = self.timing(runs, "fw-restore", "build")
                    note = ("commit %s ms, wall/commit %s, parse %s, encode "
                            "%s, build %s, batch %s MiB, RSS-batch %s MiB; "
                            "state %s, enc %s"
                            % (fmt(commit), fmt(ratio(wall, commit), "%.2f"),
                               fmt(parse), fmt(enc), fmt(build),
                               fmt(batch / MIB if batch else None),
                               fmt(rss - batch / MIB if batch and rss
                                   else None),
                               b["check"] or "-", b.get("enc") or "-"))
                    if b.get("enc") == "DIFF":
                        self.target("restore %s direct encoding" % key,
                                    None, None, False)
                    if n >= 50000:
                        self.target("restore %s wall/commit" % key,
                                    ratio(wall, commit), 1.1,
                                    ratio(wall, commit) is not None and
                                    ratio(wall, commit) <= 1.1)
                        self.target("restore %s fw/ipt" % key,
                                    ratio(wall, ipt), 0.8,
                                    ratio(wall, ipt) is not None and
                                    ratio(wall, ipt) <= 0.8)
                        lim = batch / MIB + 8 if batch else None
                        self.target("restore %s RSS MiB (batch+8)" % key, rss,
                                    lim, rss is not None and lim is not None
                                    and rss <= lim)
                    if n == 1000:
                        self.target("restore %s fw/ipt" % key,
                                    ratio(wall, ipt), 0.5,
                                    ratio(wall, ipt) is not None and
                                    ratio(wall, ipt) <= 0.5)
                    if b["check"] not in (None, "ok", "n/a"):
                        self.target("restore %s same kernel state" % key,
                                    None, None, False)
                elif tool == "fw":
                    self.target("restore %s runs" % key, None, None, False)
                self.out("%-14s %-10s %9s %8s %7s %8s %8s  %s"
                         % (key, tool, fmt(wall), fmt(wall * 1000 / n
                            if wall else None, "%.2f"),
                            fmt(ratio(wall, ipt), "%.2f"), fmt(self.cpu(runs)),
                            fmt(rss), note))

    def print_save(self):
        self.out()
        self.out("SAVE (wall ms, median; ratio = fw-save / iptables-nft-save, "
                 "floor = fw-save / bare per-chain dump)")
        self.out("%-14s %-13s %9s %8s %7s %7s %8s %8s  %s"
                 % ("shape/size", "tool", "wall ms", "us/rule", "ratio",
                    "floor", "cpu ms", "RSS MiB", "notes"))
        for key, b in self.r["save"].items():
            n = self.key_n(key)
            ipt = self.med(b["runs"].get("ipt-nft-save", []))
            bare = self.med(b["runs"].get("bare dump", []))
            for tool, runs in b["runs"].items():
                wall = self.med(runs)
                rss = self.med(runs, "rss_kb", 1 / 1024.0)
                note = b["notes"].get(tool, "")
                r_ipt = r_bare = None
                if tool == "fw-save" and runs:
                    r_ipt, r_bare = ratio(wall, ipt), ratio(wall, bare)
                    k = self.timing(runs, "fw-save", "kernel")
                    wide = self.timing(runs, "fw-save", "family-wide")
                    dumps = self.timing(runs, "fw-save", "rule dumps")
                    note = ("kernel %s, waited %s, decode %s, print %s ms; "
                            "%s rule dumps, %s family-wide; output %s"
                            % (fmt(k), fmt(self.timing(runs, "fw-save",
                                                       "waited")),
                               fmt(self.timing(runs, "fw-save", "decode")),
                               fmt(self.timing(runs, "fw-save", "print")),
                               fmt(dumps, "%d"), fmt(wide, "%d"),
                               b["check"] or "-"))
                    if n >= 50000:
                        self.target("save %s fw/ipt" % key, r_ipt, 0.9,
                                    r_ipt is not None and r_ipt <= 0.9)
                        self.target("save %s fw/bare" % key, r_bare, 1.1,
                                    r_bare is not None and r_bare <= 1.1)
                    self.target("save %s RSS MiB" % key, rss, 16,
                                rss is not None and rss <= 16)
                    if wide:
                        self.target("save %s no family-wide dump" % key,
                                    wide, 0, False)
                    if b["check"] not in (None, "ok"):
                        self.target("save %s same output" % key, None, None,
                                    False)
                elif tool == "fw-save":
                    self.target("save %s runs" % key, None, None, False)
                elif tool == "ipt-nft-save":
                    r_ipt = 1.0 if wall else None
                if tool.startswith("bare"):
                    r_ipt = ratio(wall, ipt)
                self.out("%-14s %-13s %9s %8s %7s %7s %8s %8s  %s"
                         % (key, tool, fmt(wall), fmt(wall * 1000 / n
                            if wall else None, "%.2f"),
                            fmt(r_ipt, "%.2f"), fmt(r_bare, "%.2f"),
                            fmt(self.cpu(runs)), fmt(rss), note))
            if b["notes"].get("load"):
                self.out("%-14s %-13s %s" % (key, "(load)", b["notes"]["load"]))

    def print_noflush(self):
        if not self.r["noflush"]:
            return
        self.out()
        self.out("NOFLUSH (one rule into a loaded ruleset; wall ms, median)")
        self.out("%-14s %-10s %9s %7s %8s  %s"
                 % ("shape/size", "tool", "wall ms", "ratio", "RSS MiB",
                    "notes"))
        for key, b in self.r["noflush"].items():
            ipt = self.med(b["runs"].get("ipt-nft", []))
            for tool, runs in b["runs"].items():
                wall = self.med(runs)
                note = b["notes"].get(tool, "")
                if tool == "fw" and runs:
                    req = self.timing(runs, "fw-restore", "requests")
                    dumps = self.timing(runs, "fw-restore", "rule dumps")
                    note = ("%s requests, %s rule dumps; state %s"
                            % (fmt(req, "%d"), fmt(dumps, "%d"),
                               b["check"] or "-"))
                    self.target("noflush %s fw/ipt" % key, ratio(wall, ipt),
                                1.1, ratio(wall, ipt) is not None and
                                ratio(wall, ipt) <= 1.1)
                    self.target("noflush %s rule dumps" % key, dumps, 0,
                                dumps == 0)
                self.out("%-14s %-10s %9s %7s %8s  %s"
                         % (key, tool, fmt(wall), fmt(ratio(wall, ipt),
                                                      "%.2f"),
                            fmt(self.med(runs, "rss_kb", 1 / 1024.0)), note))
            if b["notes"].get("load"):
                self.out("%-14s %-10s %s" % (key, "(load)", b["notes"]["load"]))

    def print_growth(self):
        """us/rule per size of the parts fw controls (kernel floor apart)."""
        self.out()
        self.out("GROWTH (us/rule; restore user = wall - commit, save user = "
                 "wall - time blocked on the kernel ('waited'); '!' marks a "
                 "step > 1.25x from the previous size, >= 10k)")
        rows = {}
        for key, b in self.r["restore"].items():
            runs = b["runs"].get("fw", [])
            if not runs:
                continue
            shape, n = key.split("/")[0], self.key_n(key)
            wall = self.med(runs)
            commit = self.timing(runs, "fw-restore", "commit")
            rows.setdefault(shape, {})[n] = [
                wall, commit, wall - commit if commit else None]
        for key, b in self.r["save"].items():
            runs = b["runs"].get("fw-save", [])
            shape, n = key.split("/")[0], self.key_n(key)
            if not runs or n not in rows.get(shape, {}):
                rows.setdefault(shape, {}).setdefault(n, [None] * 3)
            wall = self.med(runs) if runs else None
            k = self.timing(runs, "fw-save", "kernel") if runs else None
            w = self.timing(runs, "fw-save", "waited") if runs else None
            if w is None:
                w = k
            rows[shape][n] += [wall, k, wall - w if wall and w else None]
        self.out("%-8s %8s | %9s %9s %9s | %9s %9s %9s"
                 % ("shape", "size", "rst wall", "commit", "rst user",
                    "save wall", "s.kernel", "save user"))
        for shape, sizes in rows.items():
            prev = None
            for n in sorted(sizes):
                v = [x * 1000 / n if x is not None else None
                     for x in sizes[n]]
                v += [None] * (6 - len(v))
                flags = ["", ""]
                if prev is not None and n >= 10000:
                    for j, col in ((0, 2), (1, 5)):
                        if v[col] and prev[col] and v[col] > 1.25 * prev[col]:
                            flags[j] = "!"
                            self.target("growth %s/%d %s user us/rule"
                                        % (shape, n, ["restore", "save"][j]),
                                        v[col], 1.25 * prev[col], False)
                self.out("%-8s %8d | %9s %9s %8s%1s | %9s %9s %8s%1s"
                         % (shape, n, fmt(v[0], "%.2f"), fmt(v[1], "%.2f"),
                            fmt(v[2], "%.2f"), flags[0], fmt(v[3], "%.2f"),
                            fmt(v[4], "%.2f"), fmt(v[5], "%.2f"), flags[1]))
                prev = v

    def print_targets(self):
        self.out()
        self.out("TARGETS")
        if not self.verdicts:
            self.out("  (none measured at these sizes)")
        for what, value, limit, ok in self.verdicts:
            self.out("  %-4s %-44s %s%s" % ("ok" if ok else "MISS", what,
                                            fmt(value, "%.2f", ""),
                                            "" if limit is None else
                                            " (limit %.2f)" % limit))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--inner":
        return inner(sys.argv[2])
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="1k and 10k rules, 2 repetitions (x3, x2), no context "
                   "tools (about a minute on an idle machine)")
    p.add_argument("--sizes", help="comma-separated rule counts")
    p.add_argument("--shapes", help="comma-separated shapes (gen.py --list)")
    p.add_argument("--reps", type=int,
                   help="repetitions (default 5, quick 2; x3 at <= 2k rules, "
                   "x2 at <= 20k)")
    p.add_argument("--noflush-size", type=int,
                   help="size for the --noflush test (default: largest)")
    p.add_argument("--no-context", dest="context", action="store_false",
                   default=None,
                   help="skip iptables-legacy-restore, nft -f, wide dumps")
    p.add_argument("--context", dest="context", action="store_true",
                   help="run them (the default, but not with --quick)")
    p.add_argument("--work", default=os.environ.get("BENCH_DIR",
                                                    "/tmp/fw-bench"),
                   help="generated rulesets and helpers (default "
                   "/tmp/fw-bench)")
    p.add_argument("--json", help="also write the raw results here")
    p.add_argument("--report", metavar="JSON",
                   help="only print the tables of an earlier --json file")
    a = p.parse_args()
    if a.report:
        with open(a.report) as f:
            return Report(json.load(f), a).print()
    a.sizes = ([int(x) for x in a.sizes.split(",")] if a.sizes else
               [1000, 10000] if a.quick else [1000, 10000, 50000, 100000])
    a.shapes = (a.shapes.split(",") if a.shapes else
                ["simple", "compat", "chains", "ipv6"])
    a.reps = a.reps or (2 if a.quick else 5)
    if a.context is None:
        a.context = not a.quick
    a.noflush_size = a.noflush_size or max(a.sizes)
    if os.geteuid() != 0:
        sys.stderr.write("run.py: needs root for unshare -n\n")
        return 1
    return Runner(a).run()


if __name__ == "__main__":
    sys.exit(main())
