//! CPU time as a criterion measurement, shared by the benches: of the benchmarking thread
//! (`ThreadCpuTime`), or of the whole process, every thread (`ProcessCpuTime`, for code
//! that uses a second core).
//!
//! The machines these run on are often shared with other builds, so wall time mostly
//! measures the neighbours; CPU time is what an idle machine would see.

// Each bench includes this file and uses only some of it.
#![allow(dead_code)]

use criterion::Throughput;
use criterion::measurement::{Measurement, ValueFormatter};

fn cpu_ns(clock: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant libc knows.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    u64::try_from(ts.tv_sec).unwrap_or(0) * 1_000_000_000 + u64::try_from(ts.tv_nsec).unwrap_or(0)
}

/// Milliseconds, with what was measured in the unit so reports cannot be mixed up.
struct MillisFormatter(&'static str);

impl ValueFormatter for MillisFormatter {
    fn scale_values(&self, _typical: f64, values: &mut [f64]) -> &'static str {
        for v in values {
            *v /= 1e6;
        }
        self.0
    }
    fn scale_throughputs(&self, _t: f64, _th: &Throughput, _values: &mut [f64]) -> &'static str {
        self.0
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

/// A criterion `Measurement` reading one CPU clock (criterion's trait can only be
/// implemented on concrete types here, hence a macro rather than a generic).
macro_rules! cpu_measurement {
    ($(#[$meta:meta])* $name:ident, $clock:expr, $unit:literal) => {
        $(#[$meta])*
        pub struct $name;

        impl Measurement for $name {
            type Intermediate = u64;
            type Value = u64;
            fn start(&self) -> u64 {
                cpu_ns($clock)
            }
            fn end(&self, start: u64) -> u64 {
                cpu_ns($clock).saturating_sub(start)
            }
            fn add(&self, a: &u64, b: &u64) -> u64 {
                a + b
            }
            fn zero(&self) -> u64 {
                0
            }
            fn to_f64(&self, v: &u64) -> f64 {
                *v as f64
            }
            fn formatter(&self) -> &dyn ValueFormatter {
                &MillisFormatter($unit)
            }
        }
    };
}

cpu_measurement!(
    /// CPU time of the benchmarking thread.
    ThreadCpuTime,
    libc::CLOCK_THREAD_CPUTIME_ID,
    "ms (cpu)"
);
cpu_measurement!(
    /// CPU time of the whole process, every thread.
    ProcessCpuTime,
    libc::CLOCK_PROCESS_CPUTIME_ID,
    "ms (cpu, all threads)"
);
