"""Reads a file written by `sluice export` with the standard library's ast and prints its structure as JSON.

Usage: python3 structure.py FILE...  ->  one JSON object per file, in a list.

For each file: the target it was written for, its tasks/assets (id, retries, the waits between attempts as the
target computes them), the dependency edges, Airflow inlets, the schedule (cron and time zone), whether a sensor
starts runs, every string constant (to compare hostile input byte for byte) and every called name. Nothing is imported or executed.
"""

from __future__ import annotations

import ast
import json
import math
import sys


def const(node):
    return node.value if isinstance(node, ast.Constant) else None


def kwargs(call: ast.Call) -> dict:
    return {k.arg: k.value for k in call.keywords if k.arg}


def call_name(node) -> str:
    """'dg.AssetKey' for dg.AssetKey(...), 'task' for task(...)."""
    func = node.func if isinstance(node, ast.Call) else node
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return call_name(func.value) + "." + func.attr
    return ""


def seconds(node) -> float | None:
    """datetime.timedelta(seconds=N) or a number."""
    if isinstance(node, ast.Call) and call_name(node).endswith("timedelta"):
        return const(kwargs(node).get("seconds"))
    return const(node)


def strings(tree) -> list[str]:
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def names(node) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [name for item in node.elts for name in names(item)]
    if isinstance(node, ast.Call):
        if call_name(node) == "allow_failure":
            return names(node.args[0])
        return names(node.func)
    return []


# ---- Airflow ----------------------------------------------------------------------------------


def dataset_uris(node) -> list:
    """The URIs of the Datasets/Assets in a list, an `a | b` condition or an *OrTimeSchedule, in order."""
    if isinstance(node, ast.Call) and call_name(node).endswith("OrTimeSchedule"):
        args = kwargs(node)
        return dataset_uris(args.get("datasets", args.get("assets")))
    if isinstance(node, ast.Call) and call_name(node) in ("Dataset", "Asset"):
        return [const(kwargs(node).get("uri")) or const(node.args[0])]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [uri for item in node.elts for uri in dataset_uris(item)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return dataset_uris(node.left) + dataset_uris(node.right)
    return []


def airflow(tree) -> dict:
    defaults, tasks, variables, edges, inlets, schedule = {}, [], {}, [], {}, None
    datasets, outlets = [], {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and names(node.targets[0]) == ["default_args"]:
            defaults = {const(k): v for k, v in zip(node.value.keys, node.value.values)}
        if isinstance(node, ast.With):
            dag = kwargs(node.items[0].context_expr)
            schedule = airflow_schedule(dag)
            datasets = dataset_uris(dag.get("schedule"))
            for stmt in node.body:
                airflow_statement(stmt, defaults, tasks, variables, edges, inlets)
                if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and "outlets" in kwargs(stmt.value):
                    outlets[const(kwargs(stmt.value)["task_id"])] = dataset_uris(kwargs(stmt.value)["outlets"])
    return {
        "target": "airflow",
        "tasks": tasks,
        "edges": edges,
        "inlets": inlets,
        "schedule": schedule,
        "sensorStarts": bool(datasets),
        "datasets": datasets,
        "outlets": outlets,
    }


def airflow_schedule(dag: dict):
    value = dag.get("schedule")
    tz = None
    if isinstance(dag.get("start_date"), ast.Call):
        tz = const(kwargs(dag["start_date"]).get("tz"))
    if isinstance(value, ast.Call) and call_name(value).endswith("OrTimeSchedule"):
        value = kwargs(value)["timetable"]
    if isinstance(value, ast.Call):
        return {"cron": const(value.args[0]), "timezone": const(kwargs(value).get("timezone"))}
    cron = const(value)
    return None if cron is None else {"cron": cron, "timezone": tz}


def airflow_retries(args: dict, defaults: dict) -> dict:
    retries = const(args.get("retries", defaults.get("retries"))) or 0
    delay = seconds(args.get("retry_delay", defaults.get("retry_delay"))) or 0
    exponential = const(args.get("retry_exponential_backoff")) is True
    cap = seconds(args["max_retry_delay"]) if "max_retry_delay" in args else None
    waits = []
    for n in range(1, retries + 1):
        # Airflow: at least ceil(delay * 2^(try-1)) and less than twice that (a hash picks the point), then capped.
        wait = max(1, math.ceil(delay * 2 ** (n - 1))) if exponential else delay
        waits.append(min(wait, cap) if cap is not None else wait)
    return {"retries": retries, "waits": waits, "jitter": exponential}


def airflow_statement(stmt, defaults, tasks, variables, edges, inlets):
    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
        args = kwargs(stmt.value)
        if "task_id" in args:
            task_id = const(args["task_id"])
            variables[names(stmt.targets[0])[0]] = task_id
            tasks.append({"id": task_id, "operator": call_name(stmt.value), **airflow_retries(args, defaults)})
            if "inlets" in args:
                inlets[task_id] = [airflow_asset_name(item) for item in args["inlets"].elts]
    elif isinstance(stmt, ast.FunctionDef):
        for deco in stmt.decorator_list:
            if isinstance(deco, ast.Call) and call_name(deco) == "task":
                variables[stmt.name] = const(kwargs(deco)["task_id"])
                tasks.append({"id": variables[stmt.name], "operator": "task", "retries": 0, "waits": [], "jitter": False})
    elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.BinOp) and isinstance(stmt.value.op, ast.RShift):
        for upstream in names(stmt.value.left):
            for downstream in names(stmt.value.right):
                edges.append([variables[upstream], variables[downstream]])


def airflow_asset_name(node) -> str:
    args = kwargs(node)
    extra = args.get("extra")
    if isinstance(extra, ast.Dict):
        for k, v in zip(extra.keys, extra.values):
            if const(k) == "sluice_key":
                return const(v)
    return const(args.get("name")) or const(node.args[0])


# ---- Prefect ----------------------------------------------------------------------------------


def prefect(tree) -> dict:
    tasks, functions, futures, edges, schedule, triggers = [], {}, {}, [], None, []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and call_name(deco) == "task":
                    args = kwargs(deco)
                    name = const(args["name"])
                    functions[node.name] = name
                    waits = [const(e) for e in args["retry_delay_seconds"].elts] if "retry_delay_seconds" in args else []
                    tasks.append({"id": name, "retries": const(args.get("retries")) or 0, "waits": waits, "jitter": False})
                if isinstance(deco, ast.Call) and call_name(deco) == "flow":
                    for stmt in ast.walk(node):
                        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and call_name(stmt.value).endswith(".submit"):
                            task = functions[call_name(stmt.value).split(".")[0]]
                            futures[names(stmt.targets[0])[0]] = task
                            for upstream in names(kwargs(stmt.value).get("wait_for", ast.List(elts=[]))):
                                edges.append([futures[upstream], task])
        if isinstance(node, ast.If):
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and call_name(call).endswith(".serve") and "schedules" in kwargs(call):
                    cron = kwargs(call)["schedules"].elts[0]
                    schedule = {"cron": const(cron.args[0]), "timezone": const(kwargs(cron).get("timezone"))}
                if isinstance(call, ast.Call) and call_name(call).endswith(".serve") and "triggers" in kwargs(call):
                    triggers = [ast.literal_eval(kwargs_literal(t)) for t in kwargs(call)["triggers"].elts]
    return {
        "target": "prefect",
        "tasks": tasks,
        "edges": edges,
        "inlets": {},
        "schedule": schedule,
        "sensorStarts": bool(triggers),
        "triggers": triggers,
    }


def kwargs_literal(call: ast.Call) -> str:
    """A trigger call's keyword arguments as a dict literal; sets become sorted lists so JSON can carry them."""
    items = []
    for k in call.keywords:
        value = ast.literal_eval(k.value)
        items.append((k.arg, sorted(value) if isinstance(value, set) else value))
    return repr(dict(items))


# ---- Dagster ----------------------------------------------------------------------------------


def dagster_key(node) -> str:
    return "/".join(const(e) for e in node.args[0].elts)


def sluice_key(args: dict) -> str:
    metadata = args["metadata"]
    for k, v in zip(metadata.keys, metadata.values):
        if const(k) == "sluice/key":
            return const(v)
    raise ValueError("asset without sluice/key metadata")


def dagster_waits(policy: dict) -> list:
    retries, delay = const(policy.get("max_retries")), const(policy.get("delay")) or 0
    backoff = call_name(policy["backoff"]) if "backoff" in policy else ""
    waits = []
    for n in range(1, retries + 1):
        # Dagster's calculate_delay: LINEAR n * delay, EXPONENTIAL (2^n - 1) * delay, else delay.
        waits.append(delay * n if backoff.endswith("LINEAR") else (2**n - 1) * delay if backoff.endswith("EXPONENTIAL") else delay)
    return waits


def dagster(tree) -> dict:
    keys, tasks, deps, schedule, partitions, sensor, sensors = {}, [], [], None, None, False, []
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            name, args = call_name(node.value), kwargs(node.value)
            if name == "dg.AssetSpec":
                keys[dagster_key(args["key"])] = sluice_key(args)
            elif name.endswith("PartitionsDefinition"):
                partitions = {"kind": name.split(".")[-1], "timezone": const(args.get("timezone"))}
            elif name == "dg.ScheduleDefinition":
                schedule = {"cron": const(args["cron_schedule"]), "timezone": const(args["execution_timezone"])}
            elif name == "dg.build_schedule_from_partitioned_job":
                schedule = {"partitioned": {k: const(v) for k, v in args.items() if k.endswith(("_hour", "_day", "_week", "_month"))}}
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and call_name(deco) == "dg.sensor":
                    sensor = True
                if isinstance(deco, ast.Call) and call_name(deco) in ("dg.sensor", "dg.asset_sensor"):
                    args = kwargs(deco)
                    requests = [c for c in ast.walk(node) if isinstance(c, ast.Call) and call_name(c) == "dg.RunRequest"]
                    sensors.append(
                        {
                            "name": node.name,
                            "decorator": call_name(deco),
                            "job": names(args["job"])[0],
                            "interval": const(args.get("minimum_interval_seconds")),
                            "running": ast.unparse(args.get("default_status", ast.Constant(None))),
                            "assetKey": dagster_key(args["asset_key"]) if "asset_key" in args else None,
                            "params": [a.arg for a in node.args.args],
                            "runKeys": [ast.unparse(kwargs(r)["run_key"]) for r in requests],
                            "partitionKeys": [ast.unparse(kwargs(r)["partition_key"]) for r in requests if "partition_key" in kwargs(r)],
                            "skips": len([c for c in ast.walk(node) if isinstance(c, ast.Call) and call_name(c) == "dg.SkipReason"]),
                        }
                    )
                if isinstance(deco, ast.Call) and call_name(deco) == "dg.asset":
                    args = kwargs(deco)
                    key = sluice_key(args)
                    keys[dagster_key(args["key"])] = key
                    deps.extend([dagster_key(d), key] for d in args.get("deps", ast.List(elts=[])).elts)
                    policy = kwargs(args["retry_policy"]) if "retry_policy" in args else None
                    waits = dagster_waits(policy) if policy else []
                    for call in ast.walk(node):
                        if isinstance(call, ast.Call) and call_name(call) == "_retry_after":
                            waits = [const(e) for e in call.args[1].elts]
                    tasks.append({"id": key, "retries": len(waits), "waits": waits, "jitter": False})
    if schedule and "partitioned" in schedule:
        p = schedule["partitioned"]
        cron = {
            "HourlyPartitionsDefinition": f"{p.get('minute_of_hour', 0)} * * * *",
            "DailyPartitionsDefinition": f"{p.get('minute_of_hour', 0)} {p.get('hour_of_day', 0)} * * *",
            "WeeklyPartitionsDefinition": f"{p.get('minute_of_hour', 0)} {p.get('hour_of_day', 0)} * * {p.get('day_of_week', 0)}",
            "MonthlyPartitionsDefinition": f"{p.get('minute_of_hour', 0)} {p.get('hour_of_day', 0)} {p.get('day_of_month', 1)} * *",
        }[partitions["kind"]]
        schedule = {"cron": cron, "timezone": partitions["timezone"]}
    edges = [[keys[a], b] for a, b in deps]
    return {
        "target": "dagster",
        "tasks": tasks,
        "edges": edges,
        "inlets": {},
        "schedule": schedule,
        "sensorStarts": sensor,
        "sensors": sensors,
        "definedSensors": [name for name in defined_names(tree, "sensors")],
    }


def defined_names(tree, field: str) -> list:
    """The names listed in `defs = dg.Definitions(<field>=[...])`."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and call_name(node.value) == "dg.Definitions":
            value = kwargs(node.value).get(field)
            return names(value) if value is not None else []
    return []


def read(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    tree = ast.parse(source, filename=path)
    imported = {alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names}
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    if "dagster" in imported:
        result = dagster(tree)
    elif "prefect" in modules:
        result = prefect(tree)
    else:
        result = airflow(tree)
    result["strings"] = strings(tree)
    result["calls"] = sorted({call_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)})
    return result


if __name__ == "__main__":
    json.dump([read(path) for path in sys.argv[1:]], sys.stdout, ensure_ascii=True)
