//! Locating the shared reference data, and generating stand-ins when it is absent.

use std::path::{Path, PathBuf};

/// The reference data directory: `$ARSENAL_DATA` if set, else `../shared/data` next to
/// the workspace root, if it exists.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ARSENAL_DATA") {
        let dir = PathBuf::from(dir);
        return dir.is_dir().then_some(dir);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent()?;
    let dir = root.parent()?.join("shared").join("data");
    dir.is_dir().then_some(dir)
}

/// A named benchmark/conformance document.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Short name (`twitter`, `citm_catalog`, `canada`).
    pub name: &'static str,
    /// The JSON text.
    pub bytes: Vec<u8>,
    /// `true` when generated because the reference file was absent.
    pub generated: bool,
}

/// The three standard JSON documents, read from `dir/json/` when present, otherwise
/// generated with the same character (string-heavy, object-heavy, number-heavy).
pub fn json_datasets(dir: Option<&Path>) -> Vec<Dataset> {
    type Generator = fn() -> String;
    let gens: [(&'static str, Generator); 3] = [
        ("twitter", gen_twitter_like),
        ("citm_catalog", gen_citm_like),
        ("canada", gen_canada_like),
    ];
    gens.iter()
        .map(|(name, gen)| {
            let file = dir.map(|d| d.join("json").join(format!("{name}.json")));
            match file.and_then(|f| std::fs::read(f).ok()) {
                Some(bytes) => Dataset {
                    name,
                    bytes,
                    generated: false,
                },
                None => Dataset {
                    name,
                    bytes: gen().into_bytes(),
                    generated: true,
                },
            }
        })
        .collect()
}

/// A small deterministic PRNG (xorshift64*), so generated data is identical everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeds the generator (0 is mapped to a fixed non-zero seed).
    pub fn new(seed: u64) -> Self {
        Rng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// [`Rng::new`]`(seed)` as a closure returning the next 64 random bits.
pub fn rng(seed: u64) -> impl FnMut() -> u64 {
    let mut r = Rng::new(seed);
    move || r.next_u64()
}

const WORDS: &[&str] = &[
    "arsenal",
    "json",
    "parser",
    "fast",
    "simd",
    "token",
    "\u{e9}t\u{e9}",
    "\u{65e5}\u{672c}",
    "na\u{ef}ve",
    "quote\\\"d",
    "tab\\there",
    "emoji \u{1f680}",
    "line\\nbreak",
    "\\u00e9scaped",
];

fn sentence(rng: &mut Rng, words: u64) -> String {
    (0..words)
        .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

/// String-heavy statuses with nested user objects, like twitter.json (~600 KB).
pub fn gen_twitter_like() -> String {
    let mut rng = Rng::new(1);
    let mut out = String::from("{\"statuses\":[");
    for i in 0..1000 {
        if i > 0 {
            out.push(',');
        }
        let n = 3 + rng.below(12);
        let text = sentence(&mut rng, n);
        out.push_str(&format!(
            "{{\"id\":{},\"id_str\":\"{}\",\"text\":\"{}\",\"truncated\":{},\"user\":{{\"id\":{},\"name\":\"{}\",\"followers_count\":{},\"verified\":{},\"url\":null}},\"retweet_count\":{},\"entities\":{{\"hashtags\":[{}],\"urls\":[]}},\"lang\":\"en\"}}",
            505874924095815681u64 + i,
            505874924095815681u64 + i,
            text,
            rng.below(2) == 0,
            rng.below(1 << 40),
            sentence(&mut rng, 2),
            rng.below(100_000),
            rng.below(2) == 0,
            rng.below(1000),
            (0..rng.below(4)).map(|k| format!("{{\"text\":\"tag{k}\",\"indices\":[{},{}]}}", k, k + 5)).collect::<Vec<_>>().join(","),
        ));
    }
    out.push_str("],\"search_metadata\":{\"completed_in\":0.087,\"count\":1000}}");
    out
}

/// Object-heavy catalog with many small keyed objects, like citm_catalog.json.
pub fn gen_citm_like() -> String {
    let mut rng = Rng::new(2);
    let mut out = String::from("{\"events\":{");
    for i in 0..8000 {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "\"{}\":{{\"id\":{},\"name\":\"{}\",\"subTopicIds\":[{},{}],\"topicIds\":[{}],\"logo\":null,\"subjectCode\":null,\"description\":null}}",
            138586341 + i,
            138586341 + i,
            sentence(&mut rng, 2),
            337184262 + rng.below(100),
            337184283 + rng.below(100),
            324846099 + rng.below(100),
        ));
    }
    out.push_str("},\"venueNames\":{\"PLEYEL_PLEYEL\":\"Salle Pleyel\"}}");
    out
}

/// Number-heavy GeoJSON-like polygons, like canada.json.
pub fn gen_canada_like() -> String {
    let mut rng = Rng::new(3);
    let mut out = String::from(
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"Canada\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[",
    );
    for ring in 0..60 {
        if ring > 0 {
            out.push(',');
        }
        out.push('[');
        for p in 0..1000 {
            if p > 0 {
                out.push(',');
            }
            let lon = -141.0 + (rng.below(1 << 40) as f64) / (1u64 << 40) as f64 * 88.0;
            let lat = 41.0 + (rng.below(1 << 40) as f64) / (1u64 << 40) as f64 * 42.0;
            out.push_str(&format!("[{lon:.15},{lat:.15}]"));
        }
        out.push(']');
    }
    out.push_str("]}}]}");
    out
}
