package kstack.kernel;

/**
 * The arch port: what differs between architectures, as five small interfaces the kernel and the
 * machine depend on (the image, system calls, task state, interrupts, stacks). The architectures in
 * kstack.arch implement it; the kernel never names one. Generic kernel code never asks which
 * architecture it runs on.
 */
public interface Arch extends ArchImage, ArchSyscalls, ArchTasks, ArchInterrupts, ArchStacks {}
