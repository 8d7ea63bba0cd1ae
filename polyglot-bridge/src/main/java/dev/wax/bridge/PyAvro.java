package dev.wax.bridge;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * Plain (unframed) Avro for {@code bytewax.connectors.kafka.serde}, with Apache Avro's schema
 * parser and binary encoder and decoder. Python values are written as the schema says; values
 * read come back as plain Java values and tagged arrays that Python turns into its own (see
 * {@link #decode}).
 */
public final class PyAvro {
  private final Schema schema;

  private PyAvro(Schema schema) {
    this.schema = schema;
  }

  /**
   * Parses {@code schema} (JSON), after the {@code named} schemas it may refer to.
   *
   * @throws IllegalArgumentException saying what is wrong with the schema
   */
  static PyAvro parse(String schema, String[] named) {
    Schema.Parser parser = new Schema.Parser();
    try {
      for (String other : named) {
        parser.parse(other);
      }
      return new PyAvro(parser.parse(schema));
    } catch (RuntimeException e) {
      // Avro reports schema mistakes with several exception types, unresolved names included.
      throw new IllegalArgumentException("invalid Avro schema: " + e.getMessage());
    }
  }

  /** {@code obj} in Avro's binary encoding, handed over as bytes to Python. */
  @HostAccess.Export
  public String encode(Value obj) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
    try {
      write(schema, obj, out, "the value");
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return PyBytes.handOver(bytes.toByteArray());
  }

  private static void write(Schema schema, Value value, BinaryEncoder out, String where) throws IOException {
    switch (schema.getType()) {
      case NULL -> {
        require(value.isNull(), schema, value, where);
        out.writeNull();
      }
      case BOOLEAN -> {
        require(value.isBoolean(), schema, value, where);
        out.writeBoolean(value.asBoolean());
      }
      case INT -> {
        require(!value.isBoolean() && value.fitsInInt(), schema, value, where);
        out.writeInt(value.asInt());
      }
      case LONG -> {
        require(!value.isBoolean() && value.fitsInLong(), schema, value, where);
        out.writeLong(value.asLong());
      }
      case FLOAT -> {
        require(!value.isBoolean() && value.fitsInDouble(), schema, value, where);
        out.writeFloat((float) value.asDouble());
      }
      case DOUBLE -> {
        require(!value.isBoolean() && value.fitsInDouble(), schema, value, where);
        out.writeDouble(value.asDouble());
      }
      case STRING -> {
        require(value.isString(), schema, value, where);
        out.writeString(value.asString());
      }
      case BYTES -> {
        require(value.hasBufferElements(), schema, value, where);
        out.writeBytes(PyBytes.read(value));
      }
      case FIXED -> {
        require(value.hasBufferElements() && value.getBufferSize() == schema.getFixedSize(), schema, value, where);
        out.writeFixed(PyBytes.read(value));
      }
      case ENUM -> {
        require(value.isString() && schema.hasEnumSymbol(value.asString()), schema, value, where);
        out.writeEnum(schema.getEnumOrdinal(value.asString()));
      }
      case ARRAY -> {
        require(value.hasArrayElements(), schema, value, where);
        long size = value.getArraySize();
        out.writeArrayStart();
        out.setItemCount(size);
        for (long i = 0; i < size; i++) {
          out.startItem();
          write(schema.getElementType(), value.getArrayElement(i), out, where + "[" + i + "]");
        }
        out.writeArrayEnd();
      }
      case MAP -> {
        require(value.hasHashEntries(), schema, value, where);
        out.writeMapStart();
        out.setItemCount(value.getHashSize());
        Value entries = value.getHashEntriesIterator();
        while (entries.hasIteratorNextElement()) {
          Value entry = entries.getIteratorNextElement();
          out.startItem();
          Value key = entry.getArrayElement(0);
          require(key.isString(), Schema.create(Schema.Type.STRING), key, where + " (a map key)");
          out.writeString(key.asString());
          write(schema.getValueType(), entry.getArrayElement(1), out, where + "[" + key.asString() + "]");
        }
        out.writeMapEnd();
      }
      case RECORD -> {
        require(value.hasHashEntries(), schema, value, where);
        for (Schema.Field field : schema.getFields()) {
          String name = field.name();
          Value member = value.getHashValue(name);
          if (member != null || value.hasHashEntry(name)) {
            write(field.schema(), member, out, where + "[" + quote(name) + "]");
          } else if (field.hasDefaultValue()) {
            new GenericDatumWriter<>(field.schema()).write(GenericData.get().getDefaultValue(field), out);
          } else {
            throw new IllegalArgumentException(
                where + " has no field " + quote(name) + " that record " + schema.getFullName() + " needs");
          }
        }
      }
      case UNION -> {
        List<Schema> branches = schema.getTypes();
        for (int i = 0; i < branches.size(); i++) {
          if (fits(branches.get(i), value)) {
            out.writeIndex(i);
            write(branches.get(i), value, out, where);
            return;
          }
        }
        throw mismatch(schema, value, where);
      }
      default -> throw new IllegalArgumentException("unsupported Avro type " + schema.getType());
    }
  }

  /** Whether {@code value} has the shape of {@code schema}, to pick a union's branch. */
  private static boolean fits(Schema schema, Value value) {
    return switch (schema.getType()) {
      case NULL -> value.isNull();
      case BOOLEAN -> value.isBoolean();
      case INT -> !value.isBoolean() && value.fitsInInt();
      case LONG -> !value.isBoolean() && value.fitsInLong();
      case FLOAT, DOUBLE -> !value.isBoolean() && value.isNumber();
      case STRING -> value.isString();
      case ENUM -> value.isString() && schema.hasEnumSymbol(value.asString());
      case BYTES -> value.hasBufferElements();
      case FIXED -> value.hasBufferElements() && value.getBufferSize() == schema.getFixedSize();
      case ARRAY -> value.hasArrayElements() && !value.isString();
      case MAP -> value.hasHashEntries();
      case RECORD ->
          value.hasHashEntries()
              && schema.getFields().stream().allMatch(f -> value.hasHashEntry(f.name()) || f.hasDefaultValue());
      default -> false;
    };
  }

  private static void require(boolean ok, Schema schema, Value value, String where) {
    if (!ok) {
      throw mismatch(schema, value, where);
    }
  }

  private static IllegalArgumentException mismatch(Schema schema, Value value, String where) {
    return new IllegalArgumentException(
        where + " is " + pythonType(value) + " where the Avro schema wants " + describe(schema));
  }

  /** Python's name for the kind of {@code value}, as far as interop tells. */
  private static String pythonType(Value value) {
    if (value.isNull()) {
      return "None";
    } else if (value.isBoolean()) {
      return "a bool";
    } else if (value.isString()) {
      return "a str";
    } else if (value.fitsInLong()) {
      return "an int";
    } else if (value.isNumber()) {
      return "a float";
    } else if (value.hasBufferElements()) {
      return "bytes";
    } else if (value.hasHashEntries()) {
      return "a dict";
    } else if (value.hasArrayElements()) {
      return "a list";
    }
    return "a " + value.getMetaObject().getMetaSimpleName();
  }

  private static String describe(Schema schema) {
    return switch (schema.getType()) {
      case RECORD, ENUM, FIXED -> schema.getType().getName() + " " + schema.getFullName();
      case UNION -> "one of " + schema.getTypes().stream().map(PyAvro::describe).toList();
      default -> schema.getType().getName();
    };
  }

  private static String quote(String name) {
    return "'" + name + "'";
  }

  /**
   * Reads one value written with the schema. Null, booleans, numbers and strings (and enum
   * symbols) come back as they are; the rest as arrays whose first element says what they are:
   * {@code ["b", latin1]} bytes, {@code ["d", name, value, ...]} a record or map, {@code ["l",
   * item, ...]} an array.
   *
   * @throws IllegalArgumentException when the bytes do not hold such a value
   */
  @HostAccess.Export
  public Object decode(Value bytes) {
    byte[] data = PyBytes.read(bytes);
    BinaryDecoder in = DecoderFactory.get().binaryDecoder(data, null);
    try {
      Object value = read(schema, in);
      if (!in.isEnd()) {
        throw new IllegalArgumentException(
            "the data holds more than one value of Avro schema " + describe(schema) + " (" + data.length + " bytes)");
      }
      return value;
    } catch (EOFException e) {
      throw new IllegalArgumentException(
          "cannot read Avro " + describe(schema) + " from these " + data.length + " bytes: they end too soon");
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new IllegalArgumentException(
          "cannot read Avro " + describe(schema) + " from these " + data.length + " bytes: " + e);
    }
  }

  private static Object read(Schema schema, BinaryDecoder in) throws IOException {
    return switch (schema.getType()) {
      case NULL -> {
        in.readNull();
        yield null;
      }
      case BOOLEAN -> in.readBoolean();
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case FLOAT -> (double) in.readFloat();
      case DOUBLE -> in.readDouble();
      case STRING -> in.readString();
      case BYTES -> {
        ByteBuffer buffer = in.readBytes(null);
        yield new Object[] {"b", PyBytes.handOver(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining())};
      }
      case FIXED -> {
        byte[] fixed = new byte[schema.getFixedSize()];
        in.readFixed(fixed);
        yield new Object[] {"b", PyBytes.handOver(fixed)};
      }
      case ENUM -> schema.getEnumSymbols().get(in.readEnum());
      case ARRAY -> {
        List<Object> items = new ArrayList<>();
        items.add("l");
        for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
          for (long i = 0; i < n; i++) {
            items.add(read(schema.getElementType(), in));
          }
        }
        yield items.toArray();
      }
      case MAP -> {
        List<Object> entries = new ArrayList<>();
        entries.add("d");
        for (long n = in.readMapStart(); n > 0; n = in.mapNext()) {
          for (long i = 0; i < n; i++) {
            entries.add(in.readString());
            entries.add(read(schema.getValueType(), in));
          }
        }
        yield entries.toArray();
      }
      case RECORD -> {
        Object[] fields = new Object[1 + 2 * schema.getFields().size()];
        fields[0] = "d";
        int i = 1;
        for (Schema.Field field : schema.getFields()) {
          fields[i++] = field.name();
          fields[i++] = read(field.schema(), in);
        }
        yield fields;
      }
      case UNION -> read(schema.getTypes().get(in.readIndex()), in);
      default -> throw new IllegalArgumentException("unsupported Avro type " + schema.getType());
    };
  }
}
