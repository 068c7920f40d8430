/**
 * The ONNX file format: a ModelProto in protocol buffers. protobufjs encodes it from a schema declared here, the
 * subset of onnx.proto (IR version 10) that churnkit writes: model, graph, nodes, attributes, tensors, value
 * types. Field numbers are onnx.proto's; anything the exporter does not write is left out of the schema.
 */
import protobuf from "protobufjs";

/** TensorProto.DataType values churnkit writes. */
export const DataType = { FLOAT: 1, UINT8: 2, INT64: 7, STRING: 8, BOOL: 9, DOUBLE: 11 } as const;

/** AttributeProto.AttributeType values churnkit writes. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** One constant tensor (TensorProto). Numbers go in `raw_data` (little-endian), text in `string_data`. */
export interface TensorMessage {
  /** Its name in the graph (initializers) or empty (attribute values). */
  name: string;
  /** A {@link DataType} value. */
  data_type: number;
  /** The shape. */
  dims: number[];
  /** Fixed-width little-endian values (every type but STRING). */
  raw_data?: Uint8Array;
  /** UTF-8 values (STRING). */
  string_data?: Uint8Array[];
}

/** One node attribute (AttributeProto); exactly one value field is set, as `type` says. */
export interface AttributeMessage {
  /** The attribute's name, as the operator's spec spells it. */
  name: string;
  /** An {@link AttributeType} value. */
  type: number;
  /** FLOAT value. */
  f?: number;
  /** INT value. */
  i?: number;
  /** STRING value (UTF-8). */
  s?: Uint8Array;
  /** TENSOR value. */
  t?: TensorMessage;
  /** FLOATS values. */
  floats?: number[];
  /** INTS values. */
  ints?: number[];
  /** STRINGS values (UTF-8). */
  strings?: Uint8Array[];
}

/** One operator application (NodeProto). */
export interface NodeMessage {
  /** Names of the values it reads. */
  input: string[];
  /** Names of the values it writes. */
  output: string[];
  /** A name unique in the graph (for error messages of runtimes). */
  name: string;
  /** The operator, e.g. "TreeEnsemble". */
  op_type: string;
  /** "" for the standard operators, "ai.onnx.ml" for the classical machine-learning ones. */
  domain: string;
  /** Its attributes. */
  attribute: AttributeMessage[];
}

/** A graph input or output: its name, element type and shape ("N" for a batch of any size). */
export interface ValueInfoMessage {
  /** The value's name. */
  name: string;
  /** Its type. */
  type: { tensor_type: { elem_type: number; shape: { dim: ({ dim_value: number } | { dim_param: string })[] } } };
  /** What it is, for people reading the model. */
  doc_string: string;
}

/** The computation (GraphProto): nodes in topological order, constants, inputs and outputs. */
export interface GraphMessage {
  /** The nodes, each after the nodes it reads from. */
  node: NodeMessage[];
  /** The graph's name. */
  name: string;
  /** The constants. */
  initializer: TensorMessage[];
  /** What the graph is, for people reading the model. */
  doc_string: string;
  /** Its inputs. */
  input: ValueInfoMessage[];
  /** Its outputs. */
  output: ValueInfoMessage[];
}

/** A whole ONNX file (ModelProto). */
export interface ModelMessage {
  /** The IR version (10: ONNX 1.16 and later). */
  ir_version: number;
  /** The operator sets used, by domain. */
  opset_import: { domain: string; version: number }[];
  /** The tool that wrote the file ("churnkit"). */
  producer_name: string;
  /** Its version. */
  producer_version: string;
  /** What the model is, for people reading it. */
  doc_string: string;
  /** The computation. */
  graph: GraphMessage;
  /** Named metadata (the model's family, threshold...). */
  metadata_props: { key: string; value: string }[];
}

const repeated = (type: string, id: number) => ({ rule: "repeated", type, id });
const single = (type: string, id: number) => ({ type, id });

/** The schema: onnx.proto's field numbers for what {@link ModelMessage} holds. */
const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: single("int64", 1),
            producer_name: single("string", 2),
            producer_version: single("string", 3),
            doc_string: single("string", 6),
            graph: single("GraphProto", 7),
            opset_import: repeated("OperatorSetIdProto", 8),
            metadata_props: repeated("StringStringEntryProto", 14),
          },
        },
        OperatorSetIdProto: { fields: { domain: single("string", 1), version: single("int64", 2) } },
        StringStringEntryProto: { fields: { key: single("string", 1), value: single("string", 2) } },
        GraphProto: {
          fields: {
            node: repeated("NodeProto", 1),
            name: single("string", 2),
            initializer: repeated("TensorProto", 5),
            doc_string: single("string", 10),
            input: repeated("ValueInfoProto", 11),
            output: repeated("ValueInfoProto", 12),
          },
        },
        NodeProto: {
          fields: {
            input: repeated("string", 1),
            output: repeated("string", 2),
            name: single("string", 3),
            op_type: single("string", 4),
            attribute: repeated("AttributeProto", 5),
            domain: single("string", 7),
          },
        },
        AttributeProto: {
          fields: {
            name: single("string", 1),
            f: single("float", 2),
            i: single("int64", 3),
            s: single("bytes", 4),
            t: single("TensorProto", 5),
            floats: repeated("float", 7),
            ints: repeated("int64", 8),
            strings: repeated("bytes", 9),
            type: single("int32", 20),
          },
        },
        TensorProto: {
          fields: {
            dims: repeated("int64", 1),
            data_type: single("int32", 2),
            string_data: repeated("bytes", 6),
            name: single("string", 8),
            raw_data: single("bytes", 9),
          },
        },
        ValueInfoProto: {
          fields: { name: single("string", 1), type: single("TypeProto", 2), doc_string: single("string", 3) },
        },
        TypeProto: {
          oneofs: { value: { oneof: ["tensor_type"] } },
          fields: { tensor_type: single("TypeProtoTensor", 1) },
        },
        TypeProtoTensor: { fields: { elem_type: single("int32", 1), shape: single("TensorShapeProto", 2) } },
        TensorShapeProto: { fields: { dim: repeated("Dimension", 1) } },
        Dimension: {
          oneofs: { value: { oneof: ["dim_value", "dim_param"] } },
          fields: { dim_value: single("int64", 1), dim_param: single("string", 2) },
        },
      },
    },
  },
});

const ModelProto = root.lookupType("onnx.ModelProto");

/** The bytes of an ONNX file. */
export function encodeModel(model: ModelMessage): Uint8Array {
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** Decode an ONNX file written by {@link encodeModel} (for tests and inspection; unknown fields are skipped). */
export function decodeModel(bytes: Uint8Array): ModelMessage {
  return ModelProto.toObject(ModelProto.decode(bytes), {
    longs: Number,
    bytes: Array,
    defaults: false,
    arrays: true,
  }) as ModelMessage;
}
