#!/usr/bin/python3
"""simpy_peer.py - faultline's model written the natural SimPy 3 way: the speed and
correctness peer of bench/flbench (bench/README.md, docs/performance.md).

Usage:
  simpy_peer.py SCENARIO [--replications N | --min-seconds T] [--seed S]

Reads the part of the scenario language the benchmarks use (regions with `zones`, failure
groups on instances, zones or regions with optional `where`, exponential / lognormal /
weibull durations, services with `regions`, `instances-per-zone` and `needs`) and simulates it
with the semantics of faultline's README: every failure group gives each component it targets
an independent alternating renewal process (up ~ time-to-failure, down ~ time-to-repair); a
component is down while any group holds it down; an instance serves when it, its zone and its
region are up; a service is up in a region when `needs` holds there, and up while any of its
regions is (ideal failover).

Written as a SimPy user would write it: one process per (failure group, component) that
alternates `yield env.timeout(time_to_failure)` and `yield env.timeout(time_to_repair)`. The
service state is kept up to date on every change by incremental counters (live instances per
zone and per region), so the peer does no per-event rescans: the comparison is against a
reasonably efficient SimPy model, not a strawman.

Replication r draws from random.Random(seed * 1000003 + r) (the Mersenne Twister), so a run is
reproducible but does not reproduce faultline's streams: the two agree in distribution only.

Prints one line of key=value pairs, like flbench:
  bench=simpy scenario=... replications=N rep_years=... events=... seconds=... events_per_s=...
  rep_years_per_s=... availability=... availability_se=... outages_per_year=... peak_rss_mib=...
events counts failures plus repairs, as faultline does. Exit codes: 0 ok, 2 bad usage/scenario.
"""

import argparse
import configparser
import math
import os
import random
import re
import resource
import sys
import time

import simpy

SECONDS = {"ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0, "w": 7 * 86400.0,
           "y": 365 * 86400.0}  # faultline's units: 1 y = 365 d
YEAR_S = SECONDS["y"]


class ScenarioError(Exception):
    pass


def parse_duration(text):
    m = re.fullmatch(r"\s*([0-9.]+(?:[eE][-+]?[0-9]+)?)\s*(ms|s|min|h|d|w|y)\s*", text)
    if not m:
        raise ScenarioError(f"'{text}' is not a duration like 90d or 10min")
    return float(m.group(1)) * SECONDS[m.group(2)]


def parse_dist(text):
    """Returns a function rng -> seconds for the law written in @text."""
    m = re.fullmatch(r"\s*(\w+)\s*\((.*)\)\s*", text)
    if not m:
        raise ScenarioError(f"'{text}' is not a distribution like exponential(mean=30d)")
    kind, args = m.group(1), {}
    for part in m.group(2).split(","):
        key, _, value = part.partition("=")
        args[key.strip()] = value.strip()
    if kind == "exponential":
        rate = 1.0 / parse_duration(args["mean"])
        return lambda rng: rng.expovariate(rate)
    if kind == "lognormal":
        mu, sigma = math.log(parse_duration(args["median"])), float(args["sigma"])
        return lambda rng: rng.lognormvariate(mu, sigma)
    if kind == "weibull":
        shape, scale = float(args["shape"]), parse_duration(args["scale"])
        return lambda rng: rng.weibullvariate(scale, shape)
    raise ScenarioError(f"the SimPy peer does not know '{kind}'; it knows exponential, "
                        "lognormal and weibull")


class Scenario:
    """The scenario file, reduced to plain lists of names and parameters."""

    def __init__(self, path):
        cp = configparser.ConfigParser(inline_comment_prefixes=("#",), comment_prefixes=("#",),
                                       interpolation=None)
        cp.optionxform = str
        with open(path, encoding="utf-8") as f:
            cp.read_file(f)
        run = cp["scenario"] if cp.has_section("scenario") else {}
        self.name = run.get("name", os.path.basename(path))
        self.horizon_s = parse_duration(run.get("horizon", "1y"))
        self.replications = int(run.get("replications", "1000"))
        self.seed = int(run.get("seed", "1"))
        self.regions = []   # (name, [zone names])
        self.failures = []  # (name, target, where-set or None, ttf, ttr)
        self.services = []  # (name, [region names], per_zone, needs_kind, needs)
        for section in cp.sections():
            kind, _, name = section.partition(" ")
            sec = cp[section]
            if kind == "region":
                zones = sec["zones"].strip()
                if zones.isdigit():
                    names = [name + chr(ord("a") + i) for i in range(int(zones))]
                else:
                    names = [z.strip() for z in zones.split(",")]
                self.regions.append((name, names))
            elif kind == "failure":
                where = sec.get("where")
                where = {w.strip() for w in where.split(",")} if where else None
                self.failures.append((name, sec["target"].strip(), where,
                                      parse_dist(sec["time-to-failure"]),
                                      parse_dist(sec["time-to-repair"])))
            elif kind == "service":
                regions = sec.get("regions")
                regions = ([r.strip() for r in regions.split(",")] if regions
                           else [r for r, _ in self.regions])
                count, _, unit = sec["needs"].strip().partition(" ")
                if unit.strip() not in ("instances", "zones"):
                    raise ScenarioError(f"needs = '{sec['needs']}': expected 'N instances' "
                                        "or 'N zones'")
                self.services.append((name, regions, int(sec["instances-per-zone"]),
                                      unit.strip(), int(count)))
            elif kind != "scenario":
                raise ScenarioError(f"unknown group [{section}]")


# ---- the live state of one replication ----

class Service:
    def __init__(self, n_regions):
        self.regions_up = n_regions
        self.down_since = 0.0
        self.downtime_s = 0.0
        self.outages = 0


class Cell:
    """One service in one region: what its `needs` is checked against."""

    def __init__(self, service, region, needs_kind, needs, capacity, zones):
        self.service, self.region = service, region
        self.needs_zones, self.needs = needs_kind == "zones", needs
        self.live = capacity   # live instances in up zones
        self.zones = zones     # up zones with at least one live instance
        self.up = True

    def evaluate(self, now):
        have = self.zones if self.needs_zones else self.live
        up = self.region.holds == 0 and have >= self.needs
        if up == self.up:
            return
        self.up = up
        svc = self.service
        if up:
            svc.regions_up += 1
            if svc.regions_up == 1:
                svc.downtime_s += now - svc.down_since
        else:
            svc.regions_up -= 1
            if svc.regions_up == 0:
                svc.down_since = now
                svc.outages += 1


class Region:
    def __init__(self):
        self.holds = 0
        self.cells = []

    def changed(self, now):
        for cell in self.cells:
            cell.evaluate(now)


class ZoneCell:
    """One service's instances in one zone."""

    def __init__(self, cell, capacity):
        self.cell = cell
        self.live = capacity


class Zone:
    def __init__(self, region):
        self.region = region
        self.holds = 0
        self.cells = []

    def changed(self, now):
        down = self.holds > 0
        for zc in self.cells:
            if zc.live:
                zc.cell.live += -zc.live if down else zc.live
                zc.cell.zones += -1 if down else 1
            zc.cell.evaluate(now)


class Instance:
    def __init__(self, zone, zone_cell):
        self.zone = zone
        self.zone_cell = zone_cell
        self.holds = 0

    def changed(self, now):
        zc = self.zone_cell
        cell = zc.cell
        if self.holds:
            zc.live -= 1
            if self.zone.holds == 0:
                cell.live -= 1
                if zc.live == 0:
                    cell.zones -= 1
                cell.evaluate(now)
        else:
            zc.live += 1
            if self.zone.holds == 0:
                cell.live += 1
                if zc.live == 1:
                    cell.zones += 1
                cell.evaluate(now)


class Replication:
    def __init__(self, sc, rng):
        self.env = simpy.Environment()
        self.rng = rng
        self.events = 0
        regions = {}
        zones = {}
        instances = []  # (zone name, region name, Instance)
        for rname, znames in sc.regions:
            region = regions[rname] = Region()
            for z in znames:
                zones[z] = Zone(region)
        self.services = []
        for _, srv_regions, per_zone, needs_kind, needs in sc.services:
            svc = Service(len(srv_regions))
            self.services.append(svc)
            for rname in srv_regions:
                znames = dict(sc.regions)[rname]
                region = regions[rname]
                cell = Cell(svc, region, needs_kind, needs, per_zone * len(znames), len(znames))
                region.cells.append(cell)
                for z in znames:
                    zc = ZoneCell(cell, per_zone)
                    zones[z].cells.append(zc)
                    for _ in range(per_zone):
                        instances.append((z, rname, Instance(zones[z], zc)))
        for _, target, where, ttf, ttr in sc.failures:
            if target == "region":
                members = [r for name, r in regions.items() if where is None or name in where]
            elif target == "zone":
                members = [zones[z] for rname, zn in sc.regions for z in zn
                           if where is None or z in where or rname in where]
            else:
                members = [i for z, rname, i in instances
                           if where is None or z in where or rname in where]
            for component in members:
                self.env.process(self.lifecycle(component, ttf, ttr))

    def lifecycle(self, component, ttf, ttr):
        """A component under one failure group: up, down, up, down, ..."""
        env, rng = self.env, self.rng
        while True:
            yield env.timeout(ttf(rng))
            self.events += 1
            component.holds += 1
            if component.holds == 1:
                component.changed(env.now)
            yield env.timeout(ttr(rng))
            self.events += 1
            component.holds -= 1
            if component.holds == 0:
                component.changed(env.now)

    def run(self, horizon_s):
        self.env.run(until=horizon_s)
        for svc in self.services:
            if svc.regions_up == 0:  # censored at the horizon
                svc.downtime_s += horizon_s - svc.down_since


def main():
    ap = argparse.ArgumentParser(description="faultline's model in SimPy 3")
    ap.add_argument("scenario")
    ap.add_argument("-n", "--replications", type=int, help="replications (default: the scenario's)")
    ap.add_argument("--min-seconds", type=float,
                    help="instead: run replications 0, 1, 2, ... until this much time has passed")
    ap.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    args = ap.parse_args()
    try:
        sc = Scenario(args.scenario)
    except (ScenarioError, KeyError, ValueError, OSError, configparser.Error) as e:
        print(f"simpy_peer: {args.scenario}: {e}", file=sys.stderr)
        return 2
    seed = sc.seed if args.seed is None else args.seed
    limit = args.replications or (None if args.min_seconds else sc.replications)
    avail, events, outages, reps = [], 0, 0, 0
    t0, c0 = time.perf_counter(), time.process_time()
    while True:
        if limit is not None and reps >= limit:
            break
        if limit is None and reps > 0 and time.perf_counter() - t0 >= args.min_seconds:
            break
        rep = Replication(sc, random.Random(seed * 1000003 + reps))
        rep.run(sc.horizon_s)
        svc = rep.services[0]
        avail.append(1.0 - svc.downtime_s / sc.horizon_s)
        events += rep.events
        outages += svc.outages
        reps += 1
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - c0
    n = len(avail)
    mean = sum(avail) / n
    se = math.sqrt(sum((a - mean) ** 2 for a in avail) / (n - 1) / n) if n > 1 else float("nan")
    rep_years = n * sc.horizon_s / YEAR_S
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"bench=simpy scenario={os.path.basename(args.scenario)} threads=1 replications={n} "
          f"rep_years={rep_years:.0f} seed={seed} events={events} seconds={seconds:.4f} "
          f"events_per_s={events / seconds:.0f} events_per_s_per_thread={events / seconds:.0f} "
          f"cpu_seconds={cpu_seconds:.4f} events_per_cpu_s={events / cpu_seconds:.0f} "
          f"rep_years_per_s={rep_years / seconds:.3f} "
          f"events_per_rep_year={events / rep_years:.0f} availability={mean:.9f} "
          f"availability_se={se:.3g} outages_per_year={outages / rep_years:.5g} "
          f"peak_rss_mib={peak:.1f} simpy={simpy.__version__} "
          f"python={sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
