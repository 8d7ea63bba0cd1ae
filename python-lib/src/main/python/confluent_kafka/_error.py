"""`KafkaError` and `KafkaException` with librdkafka's error codes."""

# librdkafka's own (negative) codes and the Kafka protocol's, by name.
_CODES = {
    "_BAD_MSG": -199,
    "_BAD_COMPRESSION": -198,
    "_DESTROY": -197,
    "_FAIL": -196,
    "_TRANSPORT": -195,
    "_CRIT_SYS_RESOURCE": -194,
    "_RESOLVE": -193,
    "_MSG_TIMED_OUT": -192,
    "_PARTITION_EOF": -191,
    "_UNKNOWN_PARTITION": -190,
    "_FS": -189,
    "_UNKNOWN_TOPIC": -188,
    "_ALL_BROKERS_DOWN": -187,
    "_INVALID_ARG": -186,
    "_TIMED_OUT": -185,
    "_QUEUE_FULL": -184,
    "_ISR_INSUFF": -183,
    "_NODE_UPDATE": -182,
    "_SSL": -181,
    "_WAIT_COORD": -180,
    "_UNKNOWN_GROUP": -179,
    "_IN_PROGRESS": -178,
    "_PREV_IN_PROGRESS": -177,
    "_EXISTING_SUBSCRIPTION": -176,
    "_ASSIGN_PARTITIONS": -175,
    "_REVOKE_PARTITIONS": -174,
    "_CONFLICT": -173,
    "_STATE": -172,
    "_UNKNOWN_PROTOCOL": -171,
    "_NOT_IMPLEMENTED": -170,
    "_AUTHENTICATION": -169,
    "_NO_OFFSET": -168,
    "_OUTDATED": -167,
    "_TIMED_OUT_QUEUE": -166,
    "_UNSUPPORTED_FEATURE": -165,
    "_WAIT_CACHE": -164,
    "_INTR": -163,
    "_KEY_SERIALIZATION": -162,
    "_VALUE_SERIALIZATION": -161,
    "_KEY_DESERIALIZATION": -160,
    "_VALUE_DESERIALIZATION": -159,
    "_PARTIAL": -158,
    "_READ_ONLY": -157,
    "_NOENT": -156,
    "_UNDERFLOW": -155,
    "_INVALID_TYPE": -154,
    "_RETRY": -153,
    "_PURGE_QUEUE": -152,
    "_PURGE_INFLIGHT": -151,
    "_FATAL": -150,
    "_INCONSISTENT": -149,
    "_GAPLESS_GUARANTEE": -148,
    "_MAX_POLL_EXCEEDED": -147,
    "_UNKNOWN_BROKER": -146,
    "_NOT_CONFIGURED": -145,
    "_FENCED": -144,
    "_APPLICATION": -143,
    "_ASSIGNMENT_LOST": -142,
    "_NOOP": -141,
    "_AUTO_OFFSET_RESET": -140,
    "UNKNOWN": -1,
    "NO_ERROR": 0,
    "OFFSET_OUT_OF_RANGE": 1,
    "INVALID_MSG": 2,
    "UNKNOWN_TOPIC_OR_PART": 3,
    "INVALID_MSG_SIZE": 4,
    "LEADER_NOT_AVAILABLE": 5,
    "NOT_LEADER_FOR_PARTITION": 6,
    "REQUEST_TIMED_OUT": 7,
    "BROKER_NOT_AVAILABLE": 8,
    "REPLICA_NOT_AVAILABLE": 9,
    "MSG_SIZE_TOO_LARGE": 10,
    "NETWORK_EXCEPTION": 13,
    "TOPIC_AUTHORIZATION_FAILED": 29,
    "GROUP_AUTHORIZATION_FAILED": 30,
    "CLUSTER_AUTHORIZATION_FAILED": 31,
    "INVALID_TIMESTAMP": 32,
    "TOPIC_ALREADY_EXISTS": 36,
    "INVALID_PARTITIONS": 37,
    "INVALID_REPLICATION_FACTOR": 38,
    "INVALID_REQUEST": 42,
    "POLICY_VIOLATION": 44,
    "INVALID_PRODUCER_EPOCH": 47,
    "INVALID_TXN_STATE": 48,
    "INVALID_TRANSACTION_TIMEOUT": 50,
    "CONCURRENT_TRANSACTIONS": 51,
    "TRANSACTIONAL_ID_AUTHORIZATION_FAILED": 53,
    "SASL_AUTHENTICATION_FAILED": 58,
    "UNKNOWN_PRODUCER_ID": 59,
}
_NAMES = {code: name for name, code in _CODES.items()}


class _Codes(type):
    """Makes every code a class attribute: `KafkaError._PARTITION_EOF == -191`."""

    def __getattr__(cls, name):
        try:
            return _CODES[name]
        except KeyError:
            raise AttributeError(f"type object 'KafkaError' has no attribute {name!r}") from None


class KafkaError(metaclass=_Codes):
    """An error code, its name and a description, as `confluent_kafka.KafkaError` is."""

    def __init__(self, error, reason=None, fatal=False, retriable=False, txn_requires_abort=False):
        self._code = int(error)
        self._reason = reason if reason is not None else self.name()
        self._fatal = fatal
        self._retriable = retriable
        self._txn_requires_abort = txn_requires_abort

    def code(self):
        return self._code

    def name(self):
        return _NAMES.get(self._code, f"ERR_{self._code}?")

    def str(self):
        return self._reason

    def fatal(self):
        return self._fatal

    def retriable(self):
        return self._retriable

    def txn_requires_abort(self):
        return self._txn_requires_abort

    def __eq__(self, other):
        if isinstance(other, KafkaError):
            return self._code == other._code
        if isinstance(other, int):
            return self._code == other
        return NotImplemented

    def __hash__(self):
        return hash(self._code)

    def __str__(self):
        return f'KafkaError{{code={self.name()},val={self._code},str="{self._reason}"}}'

    __repr__ = __str__


class KafkaException(Exception):
    """An exception carrying a `KafkaError` as its first argument."""
