package dev.anytimenn.serve;

/** A request the server refuses with 400: the message is one line that names the field. */
final class BadRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    BadRequestException(String field, String problem) {
        super(field + ": " + problem.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
    }
}
