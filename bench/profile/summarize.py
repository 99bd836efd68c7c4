#!/usr/bin/env python3
"""Summarizes `perf script -F comm,ip,sym,dso` output (stdin) of a ChatApp server into JSON (stdout).

inclusive: share of samples whose stack contains a frame of each category (a sample counts once per category,
categories overlap); leaf: where the CPU was when sampled (our code, framework, GC/runtime, kernel, SQLite);
tiers: JIT tier of the managed leaf frames (perf maps name it, e.g. [QuickJitted], [OptimizedTier1]);
top: the 25 hottest leaf symbols."""
import argparse, collections, json, re, sys, datetime

CATEGORIES = [
    ("UI event dispatch (composer input, send click)", r"DispatchEventAsync"),
    ("Room events applied to a page (ChatPage)", r"ApplyPendingRoomEvents"),
    ("Component rendering (BuildRenderTree)", r"::BuildRenderTree"),
    ("Render tree diff", r"RenderTreeDiffBuilder"),
    ("Component parameters (SetParametersAsync)", r"SetParametersAsync|SupplyCombinedParameters|SetDirectParameters"),
    ("Render batch serialization", r"RenderBatchWriter"),
    ("Render acknowledgements (OnRenderCompleted)", r"OnRenderCompleted"),
    ("SignalR hub: inbound dispatch", r"DefaultHubDispatcher"),
    ("Kestrel, sockets, WebSockets, pipelines", r"Kestrel|System\.Net\.Sockets|WebSockets|System\.IO\.Pipelines"),
    ("MessageService.SendAsync", r"MessageService\+<SendAsync>|MessageService::SendAsync"),
    ("MessageWriter (group commit)", r"MessageWriter"),
    ("EF Core", r"EntityFrameworkCore"),
    ("SQLite (native)", r"e_sqlite3|sqlite3_"),
    ("Markdown formatting", r"Markdig|MessageFormatter"),
    ("Notifier (publish to circuits)", r"InMemoryChatNotifier"),
    ("Row feeds: sends to the browsers (LiveRowFeed)", r"LiveRowFeed"),
    ("Room events on the circuits (LiveSubscriptions, ChatTab.Apply)", r"LiveSubscriptions|ChatTab::Apply|ChatTab\+<|ChatTab::ApplyRoomEvents"),
    ("Presence", r"PresenceTracker"),
]

def leaf_kind(frame):
    if "[kernel" in frame: return "kernel"
    if "libcoreclr" in frame: return "GC and runtime (libcoreclr)"
    if "libclrjit" in frame: return "JIT compiler"
    if "sqlite" in frame: return "SQLite (native)"
    if "[ChatApp]" in frame: return "ChatApp code"
    return "framework and libraries (managed)"

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", default="")
    parser.add_argument("--run-log", default=None)
    options = parser.parse_args()
    inclusive, leaf, tiers, top = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for sample in sys.stdin.read().split("\n\n"):
        lines = [l.strip() for l in sample.strip().split("\n") if l.strip()]
        if len(lines) < 2:
            continue
        total += 1
        frames = lines[1:]
        stack = "\n".join(frames)
        for name, pattern in CATEGORIES:
            if re.search(pattern, stack):
                inclusive[name] += 1
        leaf[leaf_kind(frames[0])] += 1
        tier = re.search(r"\[(QuickJitted|OptimizedTier1OSR|OptimizedTier1|Optimized|InstrumentedTierOptimized|InstrumentedTier|PreJIT)\]", frames[0])
        if tier:
            tiers[tier.group(1)] += 1
        symbol = re.sub(r"^[0-9a-f]+ ", "", frames[0])
        dso = re.search(r"\(([^)]*)\)$", symbol)
        symbol = re.sub(r" \([^)]*\)$", "", symbol)
        method = re.search(r"\] ([^\s\[\]]+::[^(\s]+)\(.*?(\[[A-Za-z0-9]+\])?$", symbol)
        if method:
            symbol = method.group(1) + (" " + method.group(2) if method.group(2) else "")
        if symbol.startswith("[unknown]") and dso:
            symbol = f"[unknown] in {dso.group(1).rsplit('/', 1)[-1]}"

        top[symbol[:160]] += 1
    share = lambda counter: {k: round(100 * v / max(1, total), 1) for k, v in counter.most_common()}
    measured = ""
    if options.run_log:
        measured = next((l.strip() for l in reversed(open(options.run_log).read().splitlines()) if l.startswith(("S2", "S3", "S4"))), "")
    json.dump({
        "label": "profile",
        "measuredAt": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "result": {
            "kind": "profile",
            "scenario": options.scenario,
            "scenarioResult": measured,
            "samples": total,
            "inclusivePercent": share(inclusive),
            "leafPercent": share(leaf),
            "managedLeafTierPercent": share(tiers),
            "topLeafPercent": dict(list(share(top).items())[:25]),
        },
    }, sys.stdout, indent=2)

if __name__ == "__main__":
    main()
