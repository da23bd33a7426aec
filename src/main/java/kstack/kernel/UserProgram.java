package kstack.kernel;

import java.nio.charset.StandardCharsets;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;

/**
 * kstack-box, the simulator's one user binary (not part of Linux). Like busybox it picks its role
 * from argv[0]: as {@code init} it reads requests from its control pipe and forks and execs
 * programs or loads the demo module; as anything else it waits in {@code main} for the debugger,
 * which makes it call functions and system calls. Its libc wrappers build frames
 * (-fno-omit-frame-pointer) and return the kernel's raw result (no errno translation), so $rax
 * after a call is what the kernel returned. Demo functions show SysV argument passing.
 */
final class UserProgram {
  enum L implements Local {
      a, argc, argv, b, base, buf, c, child_tid, cl_args, clockid, count, d, e, envp, f, fd, fildes,
      flags, g, h, image, len, n, name, newsp, options, params, parent_tid, path, pid, r, rem,
      remain, req, request, rusage, size, status, tls, uargs, umod, wstatus, x
  }

  private UserProgram() {}

  /** The libc wrappers: name and parameter names. */
  static final String[][] WRAPPERS = {
      {"read", "fd", "buf", "count"}, {"write", "fd", "buf", "count"}, {"pipe", "fildes"},
      {"pipe2", "fildes", "flags"}, {"nanosleep", "req", "rem"}, {"getpid"},
      {"clone", "flags", "newsp", "parent_tid", "child_tid", "tls"}, {"fork"},
      {"execve", "path", "argv", "envp"}, {"exit", "status"},
      {"wait4", "pid", "wstatus", "options", "rusage"}, {"finit_module", "fd", "params", "flags"},
      {"init_module", "name", "image"}, {"sched_yield"}};

  static void build(Kernel k) {
    String vsys = k.arch.vdsoSyscallEntry();
    k.image.add(RoutineBuilder.userAsm("_start", "kstack-box crt1", k.abi)
        .step("xor %ebp, %ebp: the outermost frame", x -> x.setFp(0))
        .step("argc = *(long *)sp; argv = sp + sizeof(long)", x -> {
          x.setArg(0, x.read(x.sp()));
          x.setArg(1, x.sp() + x.word());
        })
        .call("call main", "main", Args.of(x -> x.arg(0), x -> x.arg(1)))
        .call("exit(main's result)", "exit", Args.of(x -> x.retval()))
        .step("hlt (not reached)", Exec::stay).build());
    var main = k.image.user("main").params(L.argc, L.argv)
        .branchIf("init", "if (strcmp(basename(argv[0]), \"init\") == 0)",
            x -> Execve.basename(cstr(x, x.read(x.get(L.argv)))).equals("init"))
        .label("wait")
        .step("wait here: the debugger decides what this process does next", Exec::stay)
        .label("sys")
        .step("syscall: the system call the debugger put in the registers (an inline syscall(2))",
            x -> k.arch.syscallInstruction(x))
        .jump("wait", "jmp wait");
    if (vsys != null) {
      LinkedAddress vsysAt = k.image.ref(vsys);
      main.label("vsys")
          .callVia("call *%gs:SYSINFO: the C library's way in, " + vsys + " in the vDSO (the "
              + "debugger put the system call in the registers)", x -> vsysAt.get(), Args.inPlace(), null)
          .jump("wait", "jmp wait");
    }
    k.image.add(main.label("init")
        .call("return init_main()", "init_main", Args.inPlace())
        .ret("return 0", x -> 0).build());
    k.image.add(k.image.user("init_main").localArea(L.buf, 64).localArea(L.argv, 16).locals(L.n, L.pid)
        .label("loop")
        .callInto(L.n, "n = read(3, buf, sizeof(buf) - 1): wait for a request on the control pipe",
            "read", Args.of(x -> 3, x -> x.addr(L.buf), x -> 63))
        .branchIf("loop", "if (n <= 0) continue", x -> x.signed(x.get(L.n)) <= 0)
        .step("buf[n] = 0; strip the newline",
            x -> x.write(x.addr(L.buf) + Math.max(0, x.get(L.n) - 1), 1, 0))
        .branchIf("kmod", "if (strncmp(buf, \"kthread \", 8) == 0)",
            x -> cstr(x, x.addr(L.buf)).startsWith("kthread "))
        .callInto(L.pid, "pid = fork()", "fork", Args.inPlace())
        .branchIf("child", "if (pid == 0)", x -> x.get(L.pid) == 0)
        .jump("loop", "loop")
        .label("child")
        .step("argv[0] = buf + 5 (the name after \"exec \"); argv[1] = NULL", x -> {
          x.write(x.addr(L.argv), x.addr(L.buf) + 5);
          x.write(x.addr(L.argv) + x.word(), 0);
        })
        .call("execve(argv[0], argv, NULL)", "execve",
            Args.of(x -> x.addr(L.buf) + 5, x -> x.addr(L.argv), x -> 0))
        .call("exit(127)", "exit", Args.of(x -> 127))
        .label("kmod")
        .call(k.moduleLoadCall().equals("finit_module")
                ? "finit_module(-1, buf + 8 (the thread's name), 0)"
                : k.initModuleTakesUargs()
                ? "init_module(NULL, 0, buf + 8 (the thread's name, as the module's parameters))"
                : "init_module(buf + 8 (the thread's name, as the module's parameter), NULL)",
            k.moduleLoadCall(), Args.computed(x -> k.moduleLoadArgs(x.addr(L.buf) + 8)))
        .jump("loop", "loop").build());
    for (String[] w : WRAPPERS) {
      String name = w[0];
      String[] params = java.util.Arrays.copyOfRange(w, 1, w.length);
      if (name.equals("init_module") && k.initModuleTakesUargs()) {
        params = new String[] {"umod", "len", "uargs"}; // 2.6's (kernel/module.c@2.6.11:1737)
      }
      Integer number = k.arch.syscallNumbers().get(name);
      if (number == null) {
        if (name.equals("fork") || name.equals("pipe")) {
          k.image.add(substitute(k, name, params));
        }
        continue; // no such call in this kernel (pipe2 and finit_module on 2.4, init_module later)
      }
      k.image.add(wrapper(k, name, params, number));
    }
    buildDemo(k);
    for (String[] w : LATER_WRAPPERS) { // linked after the demo functions, which keep their places
      Integer number = k.arch.syscallNumbers().get(w[0]);
      if (number != null) {
        k.image.add(wrapper(k, w[0], java.util.Arrays.copyOfRange(w, 1, w.length), number));
      }
    }
  }

  /** Wrappers added later: exit_group (2.5.35), clock_nanosleep (2.5.63), clone3 (5.3). */
  static final String[][] LATER_WRAPPERS = {{"exit_group", "status"},
      {"clock_nanosleep", "clockid", "flags", "request", "remain"}, {"clone3", "cl_args", "size"}};

  private static kstack.exec.Routine wrapper(Kernel k, String name, String[] params, int nr) {
    return k.image.user(name).params(handles(params))
        .step("syscall: " + name + " is system call " + nr, x -> k.arch.userSyscall(x, nr))
        .ret("return the kernel's result", Exec::retval).build();
  }

  /**
   * Where the arch has no such system call (arm64: no fork, no pipe), the C library uses the
   * general one, as glibc does: fork() is clone(SIGCHLD, 0, ...), pipe(fds) is pipe2(fds, 0).
   */
  private static kstack.exec.Routine substitute(Kernel k, String name, String[] params) {
    var n = k.arch.syscallNumbers();
    return switch (name) {
      case "fork" -> k.image.user(name).params(handles(params))
          .step("clone(SIGCHLD, 0, NULL, ...): this arch has no fork system call", x -> {
            for (int i = 0; i < 5; i++) {
              x.setArg(i, i == 0 ? Kernel.SIGCHLD : 0);
            }
            k.arch.userSyscall(x, n.get("clone"));
          })
          .ret("return the kernel's result", Exec::retval).build();
      case "pipe" -> k.image.user(name).params(handles(params))
          .step("pipe2(fildes, 0): this arch has no pipe system call", x -> {
            x.setArg(1, 0);
            k.arch.userSyscall(x, n.get("pipe2"));
          })
          .ret("return the kernel's result", Exec::retval).build();
      default -> throw new IllegalStateException(k.arch.name() + " has no system call " + name);
    };
  }

  /** Functions for watching user frames: nested calls, and arguments beyond the six registers. */
  private static void buildDemo(Kernel k) {
    k.image.add(k.image.user("inner").params(L.a, L.b, L.c).locals(L.r)
        .step("r = a * b + c (a leaf: nothing below this frame)",
            x -> x.set(L.r, x.get(L.a) * x.get(L.b) + x.get(L.c)))
        .ret("return r", x -> x.get(L.r)).build());
    k.image.add(k.image.user("middle").params(L.a, L.b).locals(L.r)
        .callInto(L.r, "r = inner(a, b, a + b)", "inner",
            Args.of(x -> x.get(L.a), x -> x.get(L.b), x -> x.get(L.a) + x.get(L.b)))
        .ret("return r * 2", x -> x.get(L.r) * 2).build());
    k.image.add(k.image.user("outer").params(L.x).locals(L.r)
        .callInto(L.r, "r = middle(x, x + 1)", "middle",
            Args.of(x -> x.get(L.x), x -> x.get(L.x) + 1))
        .ret("return r + 1", x -> x.get(L.r) + 1).build());
    k.image.add(k.image.user("sum8").params(L.a, L.b, L.c, L.d, L.e, L.f).unspilledParams(L.g, L.h).locals(L.r)
        .step("r = a + b + c + d + e + f + g + h (g and h, beyond the declared six: on the stack "
            + "above the return address on x86_64 and i386, in x6 and x7 on arm64)", x -> {
              long r = 0;
              for (Local p : new Local[] {L.a, L.b, L.c, L.d, L.e, L.f}) {
                r += x.get(p);
              }
              r += argument(x, 6) + argument(x, 7);
              x.set(L.r, r);
            })
        .ret("return r", x -> x.get(L.r)).build());
    k.image.add(k.image.user("call8").params(L.base).locals(L.r)
        .callWithStackArgs("sum8(base, base+1, ..., base+7): " + eightArguments(k), "sum8",
            Args.computed(x -> {
              long[] a = new long[8];
              for (int i = 0; i < 8; i++) {
                a[i] = x.get(L.base) + i;
              }
              return a;
            }), 2)
        .ret("return sum8's result", Exec::retval).build());
  }

  /**
   * Where call8's eight arguments travel: i386 cdecl pushes every one (the last first, so the
   * first lies lowest); SysV AMD64 puts six in registers and pushes the 7th and 8th; AAPCS64 has
   * eight argument registers, so none goes on the stack.
   */
  private static String eightArguments(Kernel k) {
    if (k.abi.paramsOnStack(kstack.exec.Routine.Kind.USER, false)) {
      return "all eight pushed, h first, so that a lies lowest";
    }
    var regs = k.arch.registers();
    int n = Math.min(8, regs.argCount());
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < n; i++) {
      names.append(i == 0 ? "" : ", ").append(regs.name(regs.arg(i)));
    }
    return n == 8 ? "all eight in " + names + ", none on the stack"
        : "the first " + n + " in " + names + "; h then g pushed before the call";
  }

  /**
   * Argument i of the running function, after its prologue: in the arch's argument register if the
   * convention passes it there, else in the caller's outgoing area just above the saved frame
   * pointer and return address (2 words above the frame pointer on x86_64, i386 and arm64 alike).
   */
  static long argument(Exec x, int i) {
    int inRegs = x.routine().paramsOnStack() ? 0 : x.cpu().registers().argCount();
    return i < inRegs ? x.arg(i) : x.read(x.fp() + 2L * x.word() + (long) x.word() * (i - inRegs));
  }

  static String cstr(Exec x, long addr) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 256; i++) {
      int b = (int) x.read(addr + i, 1);
      if (b == 0) {
        break;
      }
      sb.append((char) b);
    }
    return sb.toString();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The handles of parameters named in a table of names (a name missing from L fails the build). */
  private static Local[] handles(String[] names) {
    Local[] h = new Local[names.length];
    for (int i = 0; i < names.length; i++) {
      h[i] = L.valueOf(names[i]);
    }
    return h;
  }
}
