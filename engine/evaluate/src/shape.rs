//! The compile budget: a pack's code is measured before it is compiled.
//!
//! Cranelift's time and memory grow with the shape of a function, not with
//! the size of the file: a 189 KB component holding one deeply nested
//! function took 5.6 GiB and 51 s to compile, in a core module the pack
//! never even instantiates. So every function body of every core module
//! in the component (nested ones included, used or not) is read once with
//! `wasmparser`, and a pack whose code is deeper, larger or more numerous
//! than any rule pack needs is refused, named, before compilation starts.

use wasmparser::{Operator, Parser, Payload};

/// Bounds on the code a pack may ask the host to compile. The defaults are
/// far above what the built-in packs and a CPython (componentize-py)
/// component need; docs/sandbox.md lists them with those measurements.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ShapeLimits {
    /// Deepest nesting of blocks, loops, ifs and try blocks in one function.
    pub nesting: usize,
    /// Largest function body, in bytes.
    pub body_bytes: usize,
    /// Function bodies over all core modules.
    pub functions: usize,
    /// Bytes of function bodies over all core modules.
    pub code_bytes: usize,
}

impl Default for ShapeLimits {
    fn default() -> Self {
        ShapeLimits {
            nesting: 1_000,
            body_bytes: 4 << 20,
            functions: 200_000,
            code_bytes: 128 << 20,
        }
    }
}

/// What the code of a component measures.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    pub nesting: usize,
    pub body_bytes: usize,
    pub functions: usize,
    pub code_bytes: usize,
}

/// Measures `bytes`, stopping at the first limit passed with a message
/// naming it. A parse error is left to the compiler, which names it better.
pub(crate) fn check(bytes: &[u8], limits: &ShapeLimits) -> Result<Shape, String> {
    let mut shape = Shape::default();
    for payload in Parser::new(0).parse_all(bytes) {
        let Ok(Payload::CodeSectionEntry(body)) = payload else {
            if payload.is_err() {
                break;
            }
            continue;
        };
        let function = shape.functions;
        shape.functions += 1;
        if shape.functions > limits.functions {
            return Err(format!(
                "holds more than {} functions; the limit is {}",
                limits.functions, limits.functions
            ));
        }
        let size = body.range().len();
        shape.body_bytes = shape.body_bytes.max(size);
        shape.code_bytes += size;
        if size > limits.body_bytes {
            return Err(format!(
                "function #{function} is {size} bytes; the limit is {} bytes",
                limits.body_bytes
            ));
        }
        if shape.code_bytes > limits.code_bytes {
            return Err(format!(
                "holds more than {} MiB of code; the limit is {} MiB",
                limits.code_bytes >> 20,
                limits.code_bytes >> 20
            ));
        }
        let Ok(mut ops) = body.get_operators_reader() else {
            continue;
        };
        let mut depth = 0usize;
        while !ops.eof() {
            let Ok(op) = ops.read() else { break };
            match op {
                Operator::Block { .. }
                | Operator::Loop { .. }
                | Operator::If { .. }
                | Operator::TryTable { .. }
                | Operator::Try { .. } => {
                    depth += 1;
                    if depth > limits.nesting {
                        return Err(format!(
                            "function #{function} nests blocks more than {} deep; the limit is {}",
                            limits.nesting, limits.nesting
                        ));
                    }
                    shape.nesting = shape.nesting.max(depth);
                }
                Operator::End => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    Ok(shape)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_test_packs::nested_component;

    #[test]
    fn nesting_is_measured_inside_components() {
        let shape = check(&nested_component(40), &ShapeLimits::default()).expect("within limits");
        assert_eq!((shape.nesting, shape.functions), (40, 1));
    }

    #[test]
    fn deep_nesting_is_refused_before_compiling() {
        let refused =
            check(&nested_component(5_000), &ShapeLimits::default()).expect_err("too deep");
        assert!(
            refused.contains("nests blocks more than 1000 deep"),
            "{refused}"
        );
    }

    #[test]
    fn large_bodies_and_many_functions_are_refused() {
        let limits = ShapeLimits {
            body_bytes: 100,
            ..ShapeLimits::default()
        };
        let refused = check(&nested_component(100), &limits).expect_err("too large");
        assert!(refused.contains("function #0 is"), "{refused}");
        let limits = ShapeLimits {
            functions: 0,
            ..ShapeLimits::default()
        };
        assert!(check(&nested_component(1), &limits).is_err());
    }
}
