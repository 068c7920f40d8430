/**
 * A small builder of ONNX graphs: constants, nodes with typed attributes, unique value names. The exporter's
 * stages (inputs.ts, trees.ts, score.ts) add to one {@link GraphBuilder}; index.ts encodes the result.
 */
import {
  AttributeType,
  DataType,
  type AttributeMessage,
  type GraphMessage,
  type NodeMessage,
  type TensorMessage,
  type ValueInfoMessage,
} from "./proto.js";

/** The domain of the classical machine-learning operators (LabelEncoder, TreeEnsemble). */
export const ML = "ai.onnx.ml";

/** A value of an attribute, typed so that the encoder knows which field to fill. */
export type Attribute =
  | { int: number }
  | { ints: readonly number[] }
  | { float: number }
  | { floats: readonly number[] }
  | { string: string }
  | { strings: readonly string[] }
  | { tensor: TensorMessage };

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function attribute(name: string, a: Attribute): AttributeMessage {
  if ("int" in a) return { name, type: AttributeType.INT, i: a.int };
  if ("ints" in a) return { name, type: AttributeType.INTS, ints: [...a.ints] };
  if ("float" in a) return { name, type: AttributeType.FLOAT, f: a.float };
  if ("floats" in a) return { name, type: AttributeType.FLOATS, floats: [...a.floats] };
  if ("string" in a) return { name, type: AttributeType.STRING, s: utf8(a.string) };
  if ("strings" in a) return { name, type: AttributeType.STRINGS, strings: a.strings.map(utf8) };
  return { name, type: AttributeType.TENSOR, t: a.tensor };
}

/** A tensor of doubles (IEEE 754, little-endian in raw_data: every value exactly as given). */
export function doubleTensor(values: ArrayLike<number>, dims: number[] = [values.length], name = ""): TensorMessage {
  const data = Float64Array.from(values);
  return { name, data_type: DataType.DOUBLE, dims, raw_data: littleEndian(data) };
}

/** A tensor of floats (values rounded to float32). */
export function floatTensor(values: ArrayLike<number>, dims: number[] = [values.length], name = ""): TensorMessage {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return { name, data_type: DataType.FLOAT, dims, raw_data: out };
}

/** A tensor of int64 (values must be safe integers). */
export function int64Tensor(values: ArrayLike<number>, dims: number[] = [values.length], name = ""): TensorMessage {
  const data = BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
  return { name, data_type: DataType.INT64, dims, raw_data: littleEndian(data) };
}

/** A tensor of uint8. */
export function uint8Tensor(values: ArrayLike<number>, dims: number[] = [values.length], name = ""): TensorMessage {
  return { name, data_type: DataType.UINT8, dims, raw_data: Uint8Array.from(values) };
}

/** A tensor of strings (UTF-8). */
export function stringTensor(values: readonly string[], dims: number[] = [values.length], name = ""): TensorMessage {
  return { name, data_type: DataType.STRING, dims, string_data: values.map(utf8) };
}

/** The bytes of a typed array in little-endian order (ONNX's raw_data), whatever the machine's order. */
function littleEndian(a: Float64Array | BigInt64Array): Uint8Array {
  const out = new Uint8Array(a.length * 8);
  const view = new DataView(out.buffer);
  if (a instanceof Float64Array) for (let i = 0; i < a.length; i++) view.setFloat64(i * 8, a[i]!, true);
  else for (let i = 0; i < a.length; i++) view.setBigInt64(i * 8, a[i]!, true);
  return out;
}

/** The type of a graph input or output: a tensor of `elemType` with `dims` ("N" for any batch size). */
export function valueInfo(name: string, elemType: number, dims: (number | string)[], doc = ""): ValueInfoMessage {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })) },
      },
    },
    doc_string: doc,
  };
}

/** Nodes and constants of one graph, in the order they were added (a topological order by construction). */
export class GraphBuilder {
  private readonly nodes: NodeMessage[] = [];
  private readonly constants: TensorMessage[] = [];
  private readonly used = new Set<string>();

  /** A value name not used yet, from `hint` (graph inputs and outputs are reserved with {@link reserve}). */
  fresh(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_.]/g, "_") || "v";
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Claim an exact name (a graph input or output, named after a column); false when taken already. */
  reserve(name: string): boolean {
    if (this.used.has(name)) return false;
    this.used.add(name);
    return true;
  }

  /** Add a constant; returns its name. */
  constant(hint: string, t: TensorMessage): string {
    const name = this.fresh(hint);
    this.constants.push({ ...t, name });
    return name;
  }

  /** A double constant of the given shape (default: a scalar). */
  double(hint: string, values: number | ArrayLike<number>, dims?: number[]): string {
    const v = typeof values === "number" ? [values] : values;
    return this.constant(hint, doubleTensor(v, dims ?? (typeof values === "number" ? [] : [v.length])));
  }

  /** An int64 constant of the given shape (default: a vector). */
  int64(hint: string, values: readonly number[], dims: number[] = [values.length]): string {
    return this.constant(hint, int64Tensor(values, dims));
  }

  /**
   * Add a node; returns the names of its outputs (`outputs` output values, named from the op unless `names`
   * are given).
   */
  node(
    op: string,
    inputs: string[],
    attributes: Record<string, Attribute> = {},
    opts: { domain?: string; outputs?: number; names?: string[] } = {},
  ): string[] {
    const outputs = opts.names ?? Array.from({ length: opts.outputs ?? 1 }, () => this.fresh(op.toLowerCase()));
    this.nodes.push({
      input: inputs,
      output: outputs,
      name: this.fresh(`node_${op}`),
      op_type: op,
      domain: opts.domain ?? "",
      attribute: Object.entries(attributes).map(([k, a]) => attribute(k, a)),
    });
    return outputs;
  }

  /** A node with one output; returns its name. */
  op(op: string, inputs: string[], attributes: Record<string, Attribute> = {}, domain?: string): string {
    return this.node(op, inputs, attributes, { domain })[0]!;
  }

  /** The graph, with the given inputs and outputs. */
  graph(name: string, doc: string, input: ValueInfoMessage[], output: ValueInfoMessage[]): GraphMessage {
    return { node: this.nodes, name, initializer: this.constants, doc_string: doc, input, output };
  }
}
