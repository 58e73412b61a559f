"""Helpers shared by the script tests: run mailtrace, read JSON Lines,
validate records against doc/mailtrace.schema.json, count failures."""
import json
import os
import subprocess
import sys

SKIP = 77


class Run:
    def __init__(self, build, source):
        self.build = os.path.abspath(build)
        self.source = os.path.abspath(source)
        self.exe = os.path.join(self.build, "mailtrace")
        self.failed = 0
        self.checked = 0
        self._validator = None

    def mailtrace(self, *args, stdin=None, env=None):
        """Run mailtrace; returns (status, stdout bytes, stderr text)."""
        e = dict(os.environ)
        e.pop("NO_COLOR", None)
        if env:
            e.update(env)
        p = subprocess.run([self.exe, *args], input=stdin,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=e, timeout=600)
        return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")

    def records(self, out):
        """Parse JSON Lines strictly: every line must be UTF-8 JSON."""
        recs = []
        for n, line in enumerate(out.split(b"\n")):
            if not line:
                continue
            text = line.decode("utf-8")  # raises on invalid UTF-8
            recs.append(json.loads(text))
        return recs

    def validator(self):
        if self._validator is None:
            import jsonschema
            with open(os.path.join(self.source, "doc",
                                   "mailtrace.schema.json")) as f:
                schema = json.load(f)
            self._validator = jsonschema.Draft202012Validator(schema)
        return self._validator

    def schema_errors(self, rec):
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in self.validator().iter_errors(rec)]

    def check(self, cond, what, detail=""):
        self.checked += 1
        if not cond:
            self.failed += 1
            print(f"FAIL: {what}" + (f": {detail}" if detail else ""))
        return cond

    def done(self, name):
        print(f"{name}: {self.checked} checks, {self.failed} failed")
        if self.checked == 0:
            return 1
        return 1 if self.failed else 0


def shared_dir(source):
    return os.path.normpath(os.path.join(source, "..", "shared"))


def main_args():
    if len(sys.argv) < 3:
        print("usage: TEST BUILD_DIR SOURCE_DIR", file=sys.stderr)
        sys.exit(2)
    return Run(sys.argv[1], sys.argv[2])
