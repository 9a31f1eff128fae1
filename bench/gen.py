#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Deterministic rulesets for bench/run.py, in iptables-save form.

    gen.py SHAPE N            the whole ruleset of N rules on stdout
    gen.py --one SHAPE N      one rule for a --noflush run into that ruleset
    gen.py --list             the shapes

Every ruleset is printed exactly as iptables-nft-save 1.8.9 prints it
(tables in filter, nat order; builtin chains, then user chains sorted by
name; each chain's rules together), so that save output can be compared
with the input. Rule i depends on i only: the same N gives the same file.
"""
import ipaddress
import sys

FILTER_HEAD = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]",
               ":OUTPUT ACCEPT [0:0]"]
NAT_HEAD = ["*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]",
            ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]"]


def v4(base, i):
    """The i-th address after base (a dotted quad) as text."""
    return str(ipaddress.IPv4Address(base) + i)


def port(i):
    return 1024 + i % 60000


def simple(n):
    """One long chain of -s A/32 -p tcp --dport P -j ACCEPT."""
    out = list(FILTER_HEAD)
    for i in range(n):
        out.append("-A INPUT -s %s/32 -p tcp -m tcp --dport %d -j ACCEPT"
                   % (v4("10.0.0.0", i), port(i)))
    out.append("COMMIT")
    return out


def ipv6(n):
    """The simple shape for IPv6 (run with -6)."""
    base = ipaddress.IPv6Address("2001:db8::")
    out = list(FILTER_HEAD)
    for i in range(n):
        out.append("-A INPUT -s %s/128 -p tcp -m tcp --dport %d -j ACCEPT"
                   % (base + (i << 16 | 1), port(i)))
    out.append("COMMIT")
    return out


def compat_filter_rule(i):
    """Filter rules that need xt compat matches and targets."""
    a = v4("10.0.0.0", i)
    k = i % 4
    if k == 0:
        return ("-A INPUT -s %s/32 -p tcp -m multiport --dports 80,443,%d "
                "-m comment --comment \"web %d\" -j ACCEPT" % (a, port(i), i))
    if k == 1:
        return ("-A INPUT -s %s/32 -p udp -m udp --dport %d -m conntrack "
                "--ctstate NEW -j LOG --log-prefix \"new %d \"" % (a, port(i), i))
    if k == 2:
        return ("-A INPUT -s %s/32 -m conntrack --ctstate RELATED,ESTABLISHED "
                "-m comment --comment \"ct %d\" -j ACCEPT" % (a, i))
    return ("-A INPUT -s %s/32 -p tcp -m tcp --dport %d -m conntrack "
            "--ctstate NEW -j ACCEPT" % (a, port(i)))


def compat(n):
    """conntrack, comment, multiport, LOG in filter; DNAT in nat (1 in 4)."""
    nat = n // 4
    out = list(FILTER_HEAD)
    for i in range(n - nat):
        out.append(compat_filter_rule(i))
    out.append("COMMIT")
    out += NAT_HEAD
    for i in range(nat):
        out.append("-A PREROUTING -d %s/32 -p tcp -m tcp --dport %d -m comment "
                   "--comment \"svc %d\" -j DNAT --to-destination %s:%d"
                   % (v4("10.96.0.0", i), port(i), i, v4("10.244.0.0", i),
                      8000 + i % 1000))
    out.append("COMMIT")
    return out


def chains_layout(n):
    """(number of service chains, rules in each): N/40 user chains in all."""
    svc = max(1, n // 40 - 1)
    per = (n - 1 - svc) // svc
    extra = (n - 1 - svc) - per * svc
    return svc, [per + (1 if j < extra else 0) for j in range(svc)]


def chains(n):
    """kube-proxy style: INPUT -> SERVICES -> one chain per service."""
    svc, sizes = chains_layout(n)
    names = ["SVC-%05d" % j for j in range(svc)]
    out = list(FILTER_HEAD)
    out.append(":SERVICES - [0:0]")
    out += [":%s - [0:0]" % c for c in names]
    out.append("-A INPUT -j SERVICES")
    for j, c in enumerate(names):
        out.append("-A SERVICES -d %s/32 -p tcp -m tcp --dport %d -j %s"
                   % (v4("10.96.0.0", j), port(j), c))
    i = 0
    for j, c in enumerate(names):
        for _ in range(sizes[j]):
            out.append("-A %s -s %s/32 -p tcp -m tcp --dport %d -j ACCEPT"
                       % (c, v4("10.0.0.0", i), port(i)))
            i += 1
    out.append("COMMIT")
    return out


SHAPES = {
    "simple": (simple, 4),
    "compat": (compat, 4),
    "chains": (chains, 4),
    "ipv6": (ipv6, 6),
}


def one_rule(shape, n):
    """One rule for --noflush, into the chain holding most of the rules."""
    if shape == "ipv6":
        return ["*filter",
                "-A INPUT -s 2001:db8:ffff::1/128 -p tcp -m tcp --dport 9 -j DROP",
                "COMMIT"]
    chain = "INPUT"
    if shape == "chains":
        svc, _ = chains_layout(n)
        chain = "SVC-%05d" % (svc // 2)
    return ["*filter",
            "-A %s -s 192.0.2.1/32 -p tcp -m tcp --dport 9 -j DROP" % chain,
            "COMMIT"]


def main(argv):
    if argv[1:] == ["--list"]:
        for name, (_, fam) in SHAPES.items():
            print(name, fam)
        return 0
    one = len(argv) > 1 and argv[1] == "--one"
    args = argv[2:] if one else argv[1:]
    if len(args) != 2 or args[0] not in SHAPES or not args[1].isdigit():
        sys.stderr.write("usage: gen.py [--one] {%s} N | gen.py --list\n"
                         % ",".join(SHAPES))
        return 2
    shape, n = args[0], int(args[1])
    lines = one_rule(shape, n) if one else SHAPES[shape][0](n)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
