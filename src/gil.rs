//! A simulated global interpreter lock (lecture section *GIL*).
