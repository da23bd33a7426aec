package kstack.arch.arm64;

import java.util.LinkedHashMap;
import java.util.Map;

/** arm64's system call numbers, the generic table every new architecture shares. */
final class Arm64Unistd {
  private Arm64Unistd() {}

  /**
   * include/uapi/asm-generic/unistd.h: no pipe, no fork on arm64 (research arm64.md §4.3);
   * exit_group 94 and clock_nanosleep 115 (unistd.h@4.16.13, scripts/syscall.tbl@6.19); later
   * numbers (clone3 435 from 5.3) come from the generation's SyscallDispatch.
   */
  static Map<String, Integer> numbers() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("pipe2", 59);
    m.put("read", 63);
    m.put("write", 64);
    m.put("exit", 93);
    m.put("exit_group", 94);
    m.put("nanosleep", 101);
    m.put("clock_nanosleep", 115);
    m.put("sched_yield", 124);
    m.put("getpid", 172);
    m.put("clone", 220);
    m.put("execve", 221);
    m.put("wait4", 260);
    m.put("finit_module", 273);
    return m;
  }
}
