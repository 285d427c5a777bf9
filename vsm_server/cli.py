"""`vsm-server`: run the sync server and administer it. Messages are English only: this is an
administrator's tool on the server, not part of the bilingual desktop application.

Exit codes: 0 done; 1 refused (the message says why; for import-handover: some changes were not
applied); 2 usage; 3 database unreachable or at a schema this version does not know.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys

from sqlalchemy.exc import OperationalError, ArgumentError

from . import __version__, db, service

DEFAULT_DB_ENV = "VSM_SERVER_DB"


def _engine(args):
    url = args.db or os.environ.get(DEFAULT_DB_ENV)
    if not url:
        raise SystemExit(_fail(f"say which database with --db URL (or {DEFAULT_DB_ENV})", 2))
    try:
        return db.make_engine(url)
    except (ArgumentError, ValueError) as e:
        raise SystemExit(_fail(f"not a database URL: {e}", 2)) from None


def _fail(message: str, code: int) -> int:
    print(f"vsm-server: {message}", file=sys.stderr)
    return code


def _ready(engine) -> None:
    db.check_version(engine)


def cmd_serve(args) -> int:
    import uvicorn

    from .app import create_app

    engine = _engine(args)
    if args.workers < 1 or args.workers > 64:
        return _fail("--workers is 1 to 64", 2)
    if args.workers > 1 and engine.dialect.name == "sqlite":
        return _fail("--workers above 1 needs PostgreSQL: SQLite has one writer at a time, so it is served by "
                     "one process (leave out --workers, or move the database to PostgreSQL)", 2)
    if not 0.01 <= args.attachment_max_mb <= 4096:
        return _fail("--attachment-max-mb is 0.01 to 4096", 2)
    # Read by vsm_server.files in this process and in every worker.
    os.environ["VSM_SERVER_ATTACHMENT_MAX_MB"] = str(args.attachment_max_mb)
    if args.files_dir:
        os.makedirs(args.files_dir, mode=0o700, exist_ok=True)
        os.environ["VSM_SERVER_FILES_DIR"] = os.path.abspath(args.files_dir)
    db.migrate(engine)  # a newer server upgrades the schema on start; an older one refuses (SchemaTooNew)
    if (args.tls_cert is None) != (args.tls_key is None):
        return _fail("give both --tls-cert and --tls-key, or neither", 2)
    if args.tls_cert is None and args.host not in ("127.0.0.1", "localhost", "::1"):
        print("vsm-server: warning: serving plain HTTP on a non-loopback address; devices will refuse it "
              "(use --tls-cert and --tls-key)", file=sys.stderr)
    common = dict(host=args.host, port=args.port, ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key,
                  log_level=args.log_level.lower(), access_log=False, timeout_keep_alive=30)
    if args.workers > 1:
        # uvicorn's process manager: N processes accept on one port; each builds its app from the
        # URL in the environment (it cannot be handed an engine across processes).
        engine.dispose()
        os.environ[DEFAULT_DB_ENV] = str(engine.url.render_as_string(hide_password=False))
        os.environ["VSM_SERVER_LOG_LEVEL"] = args.log_level
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            import tempfile

            # The workers add up their metrics in files here (prometheus-client's multiprocess mode).
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="vsm-server-metrics-")
        uvicorn.run("vsm_server.app:app_from_environment", factory=True, workers=args.workers, **common)
        return 0
    uvicorn.run(create_app(engine), **common)
    return 0


def cmd_init(args) -> int:
    engine = _engine(args)
    authority_id = service.init_authority(engine, args.authority)
    print(f"Initialised authority {args.authority} ({authority_id}) with its signing CA; schema {db.SCHEMA_VERSION}.")
    return 0


def cmd_add_user(args) -> int:
    engine = _engine(args)
    _ready(engine)
    service.add_user(engine, args.username, args.role, args.school, args.name)
    print(f"Added {args.username} ({args.role}).")
    return 0


def cmd_enrol_code(args) -> int:
    engine = _engine(args)
    _ready(engine)
    code = service.enrol_code(engine, args.username, args.hours)
    print(code)
    print(f"One-time enrolment code for {args.username}, valid {args.hours} hours.", file=sys.stderr)
    return 0


def cmd_assign(args) -> int:
    engine = _engine(args)
    _ready(engine)
    service.assign(engine, args.username, args.learner, remove=args.remove)
    print(("Removed learner from" if args.remove else "Assigned learner to") + f" {args.username}'s caseload.")
    return 0


def cmd_revoke(args) -> int:
    engine = _engine(args)
    _ready(engine)
    service.revoke(engine, args.device)
    print(f"Revoked device {args.device}.")
    return 0


def _when(ms) -> str:
    if ms is None:
        return "-"
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).strftime("%Y-%m-%d %H:%M")


def cmd_devices(args) -> int:
    engine = _engine(args)
    _ready(engine)
    rows = service.list_devices(engine)
    print(f"{'DEVICE':16}  {'USER':20}  {'ROLE':18}  {'ENROLLED':16}  {'LAST SEEN':16}  STATUS")
    for r in rows:
        status = f"revoked {_when(r['revoked_at'])}" if r["revoked_at"] else "active"
        print(f"{r['id']:16}  {r['username'][:20]:20}  {r['role']:18}  {_when(r['created_at']):16}  "
              f"{_when(r['last_seen_at']):16}  {status}")
    return 0


def cmd_users(args) -> int:
    engine = _engine(args)
    _ready(engine)
    rows = service.list_users(engine)
    print(f"{'USERNAME':20}  {'NAME':24}  {'ROLE':18}  {'SCHOOL':40}  CASELOAD")
    for r in rows:
        school = f"{r['school_name'] or '?'} ({r['school_id']})" if r["school_id"] else "-"
        print(f"{r['username'][:20]:20}  {(r['display_name'] or '-')[:24]:24}  {r['role']:18}  {school[:72]:40}  "
              f"{r['caseload']}")
    return 0


def cmd_schools(args) -> int:
    engine = _engine(args)
    _ready(engine)
    rows = service.list_schools(engine)
    print(f"{'ID':32}  {'KIND':14}  {'MEDIUM':18}  NAME")
    for r in rows:
        print(f"{r['id']:32}  {r['kind'] or '-':14}  {r['medium'] or '-':18}  {r['name'] or '-'}")
    return 0


def cmd_import_handover(args) -> int:
    import json

    engine = _engine(args)
    _ready(engine)
    try:
        with open(args.file, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        return _fail(f"cannot read {args.file}: {e.strerror}", 2)
    except ValueError:
        return _fail(f"{args.file} is not JSON: give the file made by `vsm-desktop export-json --all`", 2)
    results = service.import_handover(engine, data, args.as_user, args.device)
    if not results:
        print("The export holds no unsent changes: nothing to do.")
        return 0
    print(f"{'STAMP':40}  {'ENTITY':16}  {'FIELD':22}  RESULT")
    counts: dict[str, int] = {}
    for r in results:
        outcome = r["status"] + (f" ({r['reason']})" if r["reason"] else "")
        counts[r["status"]] = counts.get(r["status"], 0) + 1
        print(f"{r['hlc']:40}  {r['entity']:16}  {r['field'][:22]:22}  {outcome}")
    print(", ".join(f"{n} {status}" for status, n in sorted(counts.items())) + ".")
    not_taken = counts.get("refused", 0) + counts.get("rejected", 0)
    if not_taken:
        print(f"vsm-server: {not_taken} change(s) were not applied (see above); the rest reach the user's "
              "devices at their next sync", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vsm-server", description="The VSM Desktop reference sync server.")
    parser.add_argument("--version", action="version", version=f"vsm-server {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name, help_text, func):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", metavar="URL",
                       help=f"SQLAlchemy URL: sqlite:///PATH or postgresql+psycopg://… (or {DEFAULT_DB_ENV})")
        p.set_defaults(func=func)
        return p

    env = os.environ.get
    p = command("serve", "run the HTTP API (each option may also come from the VSM_SERVER_… variable named)",
                cmd_serve)
    p.add_argument("--host", default=env("VSM_SERVER_HOST", "127.0.0.1"), help="VSM_SERVER_HOST")
    p.add_argument("--port", type=int, default=int(env("VSM_SERVER_PORT", "8765")), help="VSM_SERVER_PORT")
    p.add_argument("--tls-cert", metavar="FILE", default=env("VSM_SERVER_TLS_CERT") or None,
                   help="PEM certificate chain for HTTPS (VSM_SERVER_TLS_CERT)")
    p.add_argument("--tls-key", metavar="FILE", default=env("VSM_SERVER_TLS_KEY") or None,
                   help="PEM private key for HTTPS (VSM_SERVER_TLS_KEY)")
    p.add_argument("--log-level", default=env("VSM_SERVER_LOG_LEVEL", "INFO"),
                   choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="VSM_SERVER_LOG_LEVEL")
    p.add_argument("--workers", type=int, default=int(env("VSM_SERVER_WORKERS", "1")), metavar="N",
                   help="worker processes on the one port (PostgreSQL only; default 1; VSM_SERVER_WORKERS)")
    p.add_argument("--files-dir", metavar="FOLDER", default=env("VSM_SERVER_FILES_DIR") or None,
                   help="keep attachments' content in this folder instead of the database (VSM_SERVER_FILES_DIR)")
    p.add_argument("--attachment-max-mb", type=float, default=float(env("VSM_SERVER_ATTACHMENT_MAX_MB", "25")),
                   metavar="MB", help="the largest attachment accepted, in MB (default 25; VSM_SERVER_ATTACHMENT_MAX_MB)")
    p = command("init", "create the schema, the authority and its signing CA", cmd_init)
    p.add_argument("--authority", required=True, metavar="NAME")
    p = command("add-user", "add a user", cmd_add_user)
    p.add_argument("--username", required=True)
    p.add_argument("--role", required=True, choices=list(service.P.ROLES))
    p.add_argument("--school", metavar="SCHOOL", help="a designated person's school: its id or exact name "
                                                      "(see `vsm-server schools`)")
    p.add_argument("--name", metavar="DISPLAY_NAME", help='the name documents show, e.g. "Catrin Ellis"')
    p = command("enrol-code", "print a one-time enrolment code for a user", cmd_enrol_code)
    p.add_argument("--username", required=True)
    p.add_argument("--hours", type=int, default=service.CODE_HOURS, help=argparse.SUPPRESS)
    p = command("assign", "put a learner on a user's caseload (or take it off with --remove)", cmd_assign)
    p.add_argument("--username", required=True)
    p.add_argument("--learner", required=True, metavar="LEARNER_ID")
    p.add_argument("--remove", action="store_true")
    p = command("revoke", "revoke a device: its token stops working at once", cmd_revoke)
    p.add_argument("--device", required=True, metavar="DEVICE_ID")
    command("devices", "list enrolled devices", cmd_devices)
    p = command("import-handover", "apply a revoked device's unsent changes from its `vsm-desktop export-json "
                "--all` file (idempotent)", cmd_import_handover)
    p.add_argument("--file", required=True, metavar="EXPORT.json")
    p.add_argument("--as", dest="as_user", required=True, metavar="USERNAME",
                   help="the device's user: their scope today decides what is applied")
    p.add_argument("--device", metavar="DEVICE_ID", help="which device's changes, if the export holds several")
    command("users", "list users: display name, role, school and caseload size", cmd_users)
    command("schools", "list schools: id, kind, medium and name (to find what to give add-user --school)",
            cmd_schools)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    level = getattr(args, "log_level", "INFO")
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except service.AdminError as e:
        return _fail(str(e), 1)
    except db.SchemaTooNew as e:
        return _fail(str(e), 3)
    except OperationalError as e:
        return _fail(f"cannot use the database: {e.orig.__class__.__name__}", 3)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
