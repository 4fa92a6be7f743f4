//! The `hetcc` compiler driver and the `het` user tool.
