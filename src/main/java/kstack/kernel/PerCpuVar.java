package kstack.kernel;

import kstack.layout.CType;

/** A per-CPU variable of the profile: name, type, alignment in .data..percpu, and its source. */
public record PerCpuVar(String name, CType type, int align, String note) {}
