//! In-process benchmarks over the shared corpus: front-end throughput, and the corpus to all three
//! markdown languages. Whole-process comparisons against pandoc live in `benches/compare.py`.

use bitext::emit::{self, WriteOptions};
use bitext::select::View;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = std::env::var_os("BITEXT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files.into_iter().map(|p| (p.display().to_string(), std::fs::read(&p).unwrap())).collect()
}

fn benches(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("parse", |b| {
        b.iter(|| {
            for (name, data) in &files {
                std::hint::black_box(bitext::parse::parse(data, name).unwrap());
            }
        })
    });
    let md = emit::find("md").unwrap();
    group.bench_function("parse+md(bi,zh,en)", |b| {
        b.iter(|| {
            for (name, data) in &files {
                let doc = bitext::parse::parse(data, name).unwrap().doc;
                for view in View::ALL {
                    std::hint::black_box(emit::render(md, &doc, view, &WriteOptions::default()).unwrap());
                }
            }
        })
    });
    group.finish();
}

criterion_group!(name = corpus_benches; config = Criterion::default().sample_size(30); targets = benches);
criterion_main!(corpus_benches);
