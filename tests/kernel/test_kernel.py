"""The PcapLab kernel against Jupyter's own conformance tests (jupyter_kernel_test) and real clients.

Run with Debian's python: JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 -m unittest -v test_kernel
(the xunit test KernelE2ETests installs the kernelspec into a temp prefix and does this).
"""
import hmac
import json
import os
import queue
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

import jupyter_kernel_test
import zmq
from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("PCAPLAB_KERNEL_NAME", "pcaplab")
TIMEOUT = 60


class PcapLabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL
    language_name = "csharp"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world")'
    code_stderr = 'Console.Error.WriteLine("to stderr")'
    completion_samples = [
        {"text": "Console.WriteLi", "matches": {"WriteLine"}},
        {"text": "var abcdef = 1; abcd", "matches": {"abcdef"}},
        {"text": "#!lsm", "matches": {"#!lsmagic"}},
    ]
    complete_code_samples = ["1", "Console.WriteLine(1);", "var x = 2;", "#!lsmagic", "class A { }"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "var s = \"\"\"\nabc", "Console.WriteLine(1"]
    invalid_code_samples = ["var x = 1 +;", "int int = 3;"]
    code_generate_error = 'throw new InvalidOperationException("boom")'
    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": "\"a\" + \"b\"", "result": "ab"},
        {"code": "new[] { 1, 2 }", "mime": "text/html"},
    ]
    code_display_data = [
        {"code": 'display(Html("<b>bold</b>"));', "mime": "text/html"},
        {"code": 'display(42);', "mime": "text/plain"},
        {"code": '#!markdown\n# Title', "mime": "text/markdown"},
    ]
    code_history_pattern = "6*7"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Console.WriteLine"
    code_clear_output = "ClearOutput();"

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=cls.kernel_name, startup_timeout=TIMEOUT)


def execute(kc, code, timeout=TIMEOUT, **kw):
    """Runs a cell; returns (reply, iopub messages of that request up to idle)."""
    msg_id = kc.execute(code, **kw)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    outputs = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return reply, outputs
        outputs.append(m)


class KernelBehaviourTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)

    def test_state_carries_over_and_error_has_cell_lines(self):
        execute(self.kc, "var n = 20;")
        reply, out = execute(self.kc, "n + 22")
        self.assertEqual([m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"], ["42"])
        reply, out = execute(self.kc, "int Div(int x) => 10 / x;\n\nDiv(0)")
        errors = [m for m in out if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        tb = "\n".join(errors[0]["content"]["traceback"])
        self.assertIn("DivideByZeroException", tb)
        self.assertIn("line 3", tb)
        self.assertIn("line 1", tb)
        self.assertNotIn("Microsoft.CodeAnalysis", tb)

    def test_interrupt_long_cell_then_kernel_answers(self):
        for code in ["await Task.Delay(60000, Cancellation);",
                     "while (true) { Cancellation.ThrowIfCancellationRequested(); }",
                     "while (true) { }",
                     "System.Threading.Thread.Sleep(600_000);"]:  # ignores the token: abandoned after the grace period
            with self.subTest(code=code):
                msg_id = self.kc.execute(code)
                time.sleep(1.5)
                self.km.interrupt_kernel()  # interrupt_mode "message": an interrupt_request on control
                reply = self.kc.get_shell_msg(timeout=TIMEOUT)
                self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
                self.assertEqual(reply["content"]["status"], "error")
                self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
                reply, out = execute(self.kc, "6*7")
                self.assertEqual(reply["content"]["status"], "ok")

    def test_console_readline_uses_input_request(self):
        msg_id = self.kc.execute('var answer = Console.ReadLine(); Console.WriteLine("got " + answer);', allow_stdin=True)
        req = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(req["msg_type"], "input_request")
        self.assertEqual(req["parent_header"]["msg_id"], msg_id)
        self.kc.input("forty-two")
        reply, out = None, []
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
            out.append(m)
        self.assertIn("got forty-two", "".join(m["content"].get("text", "") for m in out))
        reply, _ = execute(self.kc, "Console.ReadLine()", allow_stdin=False)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("allow_stdin", reply["content"]["evalue"])

    def test_heartbeat_echoes(self):
        ci = self.km.get_connection_info()
        sock = zmq.Context.instance().socket(zmq.REQ)
        sock.linger = 0
        sock.connect(f"{ci['transport']}://{ci['ip']}:{ci['hb_port']}")
        sock.send(b"ping")
        self.assertTrue(sock.poll(TIMEOUT * 1000))
        self.assertEqual(sock.recv(), b"ping")
        sock.close()

    def test_sigint_interrupts_the_cell_not_the_kernel(self):
        import signal
        msg_id = self.kc.execute("await Task.Delay(60000, Cancellation);")
        time.sleep(1.0)
        os.kill(self.km.provisioner.pid, signal.SIGINT)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        reply, _ = execute(self.kc, "1")
        self.assertEqual(reply["content"]["status"], "ok")

    def test_interrupt_on_shell_channel(self):
        msg_id = self.kc.execute("await Task.Delay(60000, Cancellation);")
        time.sleep(1.0)
        self.kc.shell_channel.send(self.kc.session.msg("interrupt_request", {}))
        replies = [self.kc.get_shell_msg(timeout=TIMEOUT) for _ in range(2)]
        by_type = {r["msg_type"]: r for r in replies}
        self.assertEqual(by_type["interrupt_reply"]["content"]["status"], "ok")
        self.assertEqual(by_type["execute_reply"]["parent_header"]["msg_id"], msg_id)
        self.assertEqual(by_type["execute_reply"]["content"]["ename"], "KeyboardInterrupt")

    def test_stop_on_error_aborts_queued_cells(self):
        execute(self.kc, "var ran = false;")
        first = self.kc.execute("await Task.Delay(300); throw new Exception(\"x\");")
        second = self.kc.execute("ran = true;")
        replies = {}
        while len(replies) < 2:
            r = self.kc.get_shell_msg(timeout=TIMEOUT)
            replies[r["parent_header"]["msg_id"]] = r
        self.assertEqual(replies[first]["content"]["status"], "error")
        self.assertEqual(replies[second]["content"]["status"], "aborted")
        _, out = execute(self.kc, "ran")
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], "False")

    def test_display_update_and_magics(self):
        _, out = execute(self.kc, 'var h = display("first");\nh.Update("second");')
        kinds = [m["msg_type"] for m in out]
        self.assertIn("display_data", kinds)
        self.assertIn("update_display_data", kinds)
        disp = next(m for m in out if m["msg_type"] == "display_data")
        upd = next(m for m in out if m["msg_type"] == "update_display_data")
        self.assertEqual(disp["content"]["transient"]["display_id"], upd["content"]["transient"]["display_id"])
        self.assertEqual(upd["content"]["data"]["text/plain"], "second")
        _, out = execute(self.kc, 'h.Update("from a later cell");')
        later = [m for m in out if m["msg_type"] == "update_display_data"]
        self.assertEqual(later[0]["content"]["transient"]["display_id"], disp["content"]["transient"]["display_id"])
        self.assertEqual(later[0]["content"]["data"]["text/plain"], "from a later cell")
        reply, out = execute(self.kc, "#!time --bogus")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("--bogus", reply["content"]["evalue"])
        reply, out = execute(self.kc, "#!who")
        text = out[-1]["content"]["data"]["text/plain"]
        self.assertIn("h", text)
        self.assertIn("DisplayHandle", text)
        reply, out = execute(self.kc, "#!time -h")
        self.assertIn("Usage: #!time", "".join(m["content"].get("text", "") for m in out))

    def test_user_expressions_and_silent(self):
        reply, out = execute(self.kc, "var q = 5;", user_expressions={"a": "q * 2", "b": "nope"})
        ue = reply["content"]["user_expressions"]
        self.assertEqual(ue["a"]["data"]["text/plain"], "10")
        self.assertEqual(ue["b"]["status"], "error")
        count = reply["content"]["execution_count"]
        reply, out = execute(self.kc, "q", silent=True)
        self.assertEqual(reply["content"]["execution_count"], count)
        self.assertFalse([m for m in out if m["msg_type"] in ("execute_result", "execute_input")])

    def test_complete_magic_options_and_unicode_cursor(self):
        r = self.kc.complete("#!time --h", 10, reply=True, timeout=TIMEOUT)["content"]
        self.assertEqual(r["matches"], ["--help"])
        code = 'var s = "\U0001F600"; Console.WriteLi'
        r = self.kc.complete(code, len(code), reply=True, timeout=TIMEOUT)["content"]  # len() counts code points
        self.assertEqual(r["matches"], ["WriteLine"])
        self.assertEqual(r["cursor_end"], len(code))
        self.assertEqual(r["cursor_start"], len(code) - len("WriteLi"))

    def test_inspect_shows_xml_doc_summary(self):
        r = self.kc.inspect("Math.Sqrt(2)", 6, reply=True, timeout=TIMEOUT)["content"]
        self.assertTrue(r["found"])
        self.assertIn("square root", r["data"]["text/plain"])


class ForgedMessageTests(unittest.TestCase):
    """A message with a wrong HMAC is dropped, never executed, and the kernel keeps answering."""

    def test_forged_signature_is_not_executed(self):
        km, kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=TIMEOUT)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                marker = os.path.join(tmp, "forged-ran")
                ci = km.get_connection_info()
                ctx = zmq.Context.instance()
                sock = ctx.socket(zmq.DEALER)
                sock.linger = 0
                sock.connect(f"{ci['transport']}://{ci['ip']}:{ci['shell_port']}")
                for sig in (b"0" * 64, b"", b"not-hex"):
                    header = json.dumps({"msg_id": uuid.uuid4().hex, "session": uuid.uuid4().hex, "username": "x",
                                         "date": "2024-01-01T00:00:00Z", "msg_type": "execute_request",
                                         "version": "5.3"}).encode()
                    content = json.dumps({"code": f'System.IO.File.WriteAllText(@"{marker}", "x")',
                                          "silent": False}).encode()
                    sock.send_multipart([b"<IDS|MSG>", sig, header, b"{}", b"{}", content])
                # a correctly signed message on the same socket is answered (same key, to prove the path works)
                key = ci["key"] if isinstance(ci["key"], bytes) else ci["key"].encode()
                header = json.dumps({"msg_id": "good", "session": "s", "username": "x", "date": "2024-01-01T00:00:00Z",
                                     "msg_type": "kernel_info_request", "version": "5.3"}).encode()
                parts = [header, b"{}", b"{}", b"{}"]
                sig = hmac.new(key, b"".join(parts), "sha256").hexdigest().encode()
                sock.send_multipart([b"<IDS|MSG>", sig] + parts)
                self.assertTrue(sock.poll(TIMEOUT * 1000), "no reply to a correctly signed message")
                frames = sock.recv_multipart()
                self.assertEqual(json.loads(frames[3])["msg_id"], "good")
                reply, _ = execute(kc, "6*7")
                self.assertEqual(reply["content"]["status"], "ok")
                self.assertFalse(os.path.exists(marker), "a forged message was executed")
                sock.close()
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)


class RestartTests(unittest.TestCase):
    def test_restart_clears_state(self):
        km, kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=TIMEOUT)
        try:
            execute(kc, "var before = 1;")
            pid = km.provisioner.pid if km.provisioner else None
            km.restart_kernel(now=False)  # shutdown_request(restart=True), then a new process
            kc.wait_for_ready(timeout=TIMEOUT)
            self.assertNotEqual(pid, km.provisioner.pid)
            reply, _ = execute(kc, "before")
            self.assertEqual(reply["content"]["status"], "error")
            self.assertEqual(reply["content"]["ename"], "CompilationError")
            reply, out = execute(kc, "6*7")
            self.assertEqual(out[-1]["content"]["data"]["text/plain"], "42")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)


def running(pid):
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return not f.read().split(") ")[1].startswith("Z")
    except FileNotFoundError:
        return False


class ParentDeathTests(unittest.TestCase):
    def test_kernel_exits_when_its_client_process_is_killed(self):
        launcher = ("import sys, time\n"
                    "from jupyter_client.manager import start_new_kernel\n"
                    f"km, kc = start_new_kernel(kernel_name={KERNEL!r}, startup_timeout={TIMEOUT})\n"
                    "print(km.provisioner.pid, flush=True)\n"
                    "time.sleep(600)\n")
        p = subprocess.Popen([sys.executable, "-c", launcher], stdout=subprocess.PIPE, text=True)
        try:
            kernel_pid = int(p.stdout.readline())
            self.assertTrue(os.path.exists(f"/proc/{kernel_pid}"))
            p.kill()  # SIGKILL: the client cannot shut the kernel down
            p.wait(timeout=TIMEOUT)
            deadline = time.time() + 20
            while time.time() < deadline and running(kernel_pid):
                time.sleep(0.2)
            alive = running(kernel_pid)
            self.assertFalse(alive, "kernel outlived its parent")
        finally:
            if p.poll() is None:
                p.kill()
            p.stdout.close()


class StartupTests(unittest.TestCase):
    def test_port_in_use_exits_with_a_clear_error(self):
        import socket
        from jupyter_client.kernelspec import get_kernel_spec
        exe = get_kernel_spec(KERNEL).argv[0]
        taken = socket.socket()
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        free = []
        for _ in range(4):
            t = socket.socket()
            t.bind(("127.0.0.1", 0))
            free.append(t.getsockname()[1])
            t.close()
        with tempfile.TemporaryDirectory() as tmp:
            cf = os.path.join(tmp, "conn.json")
            with open(cf, "w") as f:
                json.dump({"transport": "tcp", "ip": "127.0.0.1", "shell_port": taken.getsockname()[1],
                           "iopub_port": free[0], "stdin_port": free[1], "control_port": free[2], "hb_port": free[3],
                           "key": "k", "signature_scheme": "hmac-sha256"}, f)
            p = subprocess.run([exe, "kernel", "--connection-file", cf], capture_output=True, text=True, timeout=TIMEOUT)
        taken.close()
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("Address already in use", p.stderr)


class ClientToolTests(unittest.TestCase):
    def test_nbconvert_executes_notebook(self):
        here = os.path.dirname(os.path.abspath(__file__))
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.ipynb")
            subprocess.run(["jupyter", "nbconvert", "--to", "notebook", "--execute",
                            f"--ExecutePreprocessor.kernel_name={KERNEL}", "--ExecutePreprocessor.timeout=120",
                            os.path.join(here, "smoke.ipynb"), "--output", out],
                           check=True, timeout=300, capture_output=True)
            with open(out) as f:
                nb = json.load(f)
            outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
            texts = json.dumps(outputs)
            self.assertIn("hello from PcapLab", texts)
            self.assertIn("<table>", texts)
            self.assertTrue(any(o.get("output_type") == "execute_result" and "".join(o["data"]["text/plain"]) == "42" for o in outputs))

    def test_nbconvert_loads_a_capture_and_shows_a_table(self):
        here = os.path.dirname(os.path.abspath(__file__))
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.ipynb")
            subprocess.run(["jupyter", "nbconvert", "--to", "notebook", "--execute",
                            f"--ExecutePreprocessor.kernel_name={KERNEL}", "--ExecutePreprocessor.timeout=120",
                            os.path.join(here, "load-and-query.ipynb"), "--output", out],
                           check=True, timeout=300, capture_output=True, cwd=here)
            with open(out) as f:
                nb = json.load(f)
            outputs = [c["outputs"] for c in nb["cells"] if c["cell_type"] == "code"]
            self.assertFalse(any(o.get("output_type") == "error" for cell in outputs for o in cell), json.dumps(outputs)[:2000])
            load, services, dns = (json.dumps(cell) for cell in outputs)
            self.assertIn("http.pcap", load)
            self.assertIn("<table>", services)
            self.assertIn("http", services)
            self.assertIn("dns", services)
            self.assertIn("qtype_name", dns)

    def test_jupyter_console_non_interactive(self):
        p = subprocess.run(["jupyter", "console", "--kernel", KERNEL, "--simple-prompt"],
                           input='Console.WriteLine("from console " + (6*7));\nexit\n',
                           capture_output=True, text=True, timeout=180)
        self.assertIn("from console 42", p.stdout, p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
