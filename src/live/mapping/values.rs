//! JSON values as Yjs values and back (a register's content), with the checks a value
//! read from the network needs.

use serde_json::Value;
use std::sync::Arc;
use yrs::{Any, Out};

// ---- JSON values and Yjs values --------------------------------------------------------

/// Deepest nesting of a value read from the network (the file format's deepest is 3).
const MAX_DEPTH: usize = 32;

/// A JSON value as a Yjs value (a register's content).
pub fn to_any(v: &Value) -> Any {
    match v {
        Value::Null => Any::Null,
        Value::Bool(b) => Any::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i)
                if (yrs::Number::I64_MIN_SAFE_INTEGER..=yrs::Number::I64_MAX_SAFE_INTEGER)
                    .contains(&i) =>
            {
                Any::Number(yrs::Number::Int(i))
            }
            _ => Any::Number(yrs::Number::Float(n.as_f64().unwrap_or(0.0))),
        },
        Value::String(s) => Any::String(s.as_str().into()),
        Value::Array(items) => Any::Array(items.iter().map(to_any).collect()),
        Value::Object(m) => Any::Map(Arc::new(
            m.iter().map(|(k, v)| (k.clone(), to_any(v))).collect(),
        )),
    }
}

/// A Yjs value as JSON, or why it cannot be one (bytes, non-finite numbers, too deep).
pub fn to_value(a: &Any) -> Result<Value, String> {
    any_value(a, 0)
}

fn any_value(a: &Any, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err("a value is nested too deeply".into());
    }
    Ok(match a {
        Any::Null | Any::Undefined => Value::Null,
        Any::Bool(b) => Value::Bool(*b),
        Any::Number(n) => number_value(*n)?,
        Any::String(s) => Value::String(s.to_string()),
        Any::Buffer(_) => return Err("binary data where a canvas holds text or numbers".into()),
        Any::Array(items) => Value::Array(
            items
                .iter()
                .map(|x| any_value(x, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Any::Map(m) => Value::Object(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), any_value(v, depth + 1)?)))
                .collect::<Result<_, String>>()?,
        ),
    })
}

/// Whole numbers come back as integers, whichever client wrote them (JavaScript has only
/// floats): an emotion written as 1.0 reads as 1.
fn number_value(n: yrs::Number) -> Result<Value, String> {
    match n {
        yrs::Number::Int(i) => Ok(Value::from(i)),
        yrs::Number::Float(f) => {
            if !f.is_finite() {
                return Err("a number that is not finite".into());
            }
            match yrs::Number::try_i64(f) {
                yrs::Number::Int(i) => Ok(Value::from(i)),
                yrs::Number::Float(f) => serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| "a number that is not finite".into()),
            }
        }
    }
}

pub(super) fn out_value(out: &Out) -> Result<Value, String> {
    match out {
        Out::Any(a) => to_value(a),
        _ => Err("a shared structure where a canvas holds a value".into()),
    }
}

pub(super) fn out_number(out: Option<&Out>) -> Option<f64> {
    match out {
        Some(Out::Any(Any::Number(n))) => n.as_f64().filter(|f| f.is_finite()),
        _ => None,
    }
}
