//! Fuzzes the reader of recovery files (`store::journal::decode`): any
//! bytes as a recovery file.
//!
//! Never a panic, and a recovery that is read back, written again, reads
//! back the same.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rumbo::store::journal;

fuzz_target!(|data: &[u8]| {
    if let Some(recovery) = journal::decode(data) {
        let bytes = journal::encode(&recovery).expect("a recovery always encodes");
        assert_eq!(
            journal::decode(&bytes).as_ref(),
            Some(&recovery),
            "written again, it reads back differently"
        );
    }
});
