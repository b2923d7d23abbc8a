package io.paperrun.proofing;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A QR code as a 1-bit PNG with a quiet zone of 4 modules, whole pixels per module and at least {@link #MIN_PIXELS}
 * pixels wide: 300 dpi or more up to 2 in printed, crisp at any scale.
 */
final class QrCodeImage {

    /** The least width of the image, in pixels. */
    static final int MIN_PIXELS = 600;

    private static final int QUIET_ZONE_MODULES = 4;

    private QrCodeImage() {}

    /** The PNG of a QR code holding {@code text}, error correction level M. */
    static byte[] png(String text) {
        BitMatrix modules;
        try {
            modules = new QRCodeWriter()
                    .encode(
                            text,
                            BarcodeFormat.QR_CODE,
                            0,
                            0,
                            Map.of(
                                    EncodeHintType.MARGIN,
                                    QUIET_ZONE_MODULES,
                                    EncodeHintType.ERROR_CORRECTION,
                                    ErrorCorrectionLevel.M,
                                    EncodeHintType.CHARACTER_SET,
                                    "UTF-8"));
        } catch (WriterException | IllegalArgumentException e) {
            throw new ProofRenderingException("the landing URL cannot be made a QR code: " + e.getMessage(), e);
        }
        int count = modules.getWidth();
        int scale = (MIN_PIXELS + count - 1) / count;
        int size = count * scale;
        int stride = (size + 7) / 8;
        byte[] rows = new byte[size * (1 + stride)];
        for (int y = 0; y < size; y++) {
            int offset = y * (1 + stride) + 1;
            int row = y / scale;
            for (int x = 0; x < size; x++) {
                if (!modules.get(x / scale, row)) {
                    rows[offset + (x >> 3)] |= (byte) (0x80 >>> (x & 7));
                }
            }
        }
        return indexedPng(size, rows);
    }

    /**
     * A PNG of 1-bit indexed pixels, palette black then white, of {@code rows} (each a filter byte 0 and the
     * pixels). Indexed, not grey: PDFBox copies such a PNG's data into the PDF without decoding it.
     */
    private static byte[] indexedPng(int size, byte[] rows) {
        ByteArrayOutputStream png = new ByteArrayOutputStream(4096);
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer header = ByteBuffer.allocate(13).putInt(size).putInt(size);
        header.put((byte) 1).put((byte) 3).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", header.array());
        chunk(png, "PLTE", new byte[] {0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(rows);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(4096);
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        chunk(png, "IDAT", compressed.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(name);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** An {@code <img>} element with the QR code of {@code text} as an inline PNG, 1 in wide unless CSS says. */
    static String imgElement(String text) {
        return "<img class=\"qr-code\" alt=\"QR code\" width=\"96\" height=\"96\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png(text))
                + "\"/>";
    }
}
