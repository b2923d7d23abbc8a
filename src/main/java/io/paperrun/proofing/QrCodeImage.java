package io.paperrun.proofing;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;

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
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int stride = (size + 7) / 8;
        for (int y = 0; y < size; y++) {
            int row = y / scale;
            int offset = y * stride;
            for (int x = 0; x < size; x++) {
                if (!modules.get(x / scale, row)) {
                    pixels[offset + (x >> 3)] |= (byte) (0x80 >>> (x & 7));
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An {@code <img>} element with the QR code of {@code text} as an inline PNG, 1 in wide unless CSS says. */
    static String imgElement(String text) {
        return "<img class=\"qr-code\" alt=\"QR code\" width=\"96\" height=\"96\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png(text))
                + "\"/>";
    }
}
