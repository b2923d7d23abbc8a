package io.paperrun.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/** The process's standard output as a command writes its result there, remembering why a write failed. */
public final class StandardOutput extends PrintWriter {

    private final Recording recording;

    private StandardOutput(Recording recording) {
        super(new OutputStreamWriter(recording, Charset.defaultCharset()), true);
        this.recording = recording;
    }

    /** The process's file descriptor 1, unbuffered by anything that would hide a failed write. */
    public static StandardOutput open() {
        return of(new FileOutputStream(FileDescriptor.out));
    }

    static StandardOutput of(OutputStream out) {
        return new StandardOutput(new Recording(out));
    }

    /** The first write that failed, as the system said it ("No space left on device"), or null. */
    public String failure() {
        IOException e = recording.failure;
        return e == null ? null : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static final class Recording extends FilterOutputStream {
        private IOException failure;

        Recording(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw remember(e);
            }
        }

        private IOException remember(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }
    }
}
