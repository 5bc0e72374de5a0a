//! A worker thread reporting progress to a UI thread.
