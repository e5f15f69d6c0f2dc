// Validates every EPUB named on the command line with EPUBCheck in a single JVM (one start costs
// seconds), printing EPUBCheck's own messages. Exits 1 when any book has a fatal error, an error or a
// warning. Run with the EPUBCheck jar on the class path:
//   java -cp epubcheck.jar tests/epubcheck/BatchCheck.java book1.epub book2.epub ...

import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class BatchCheck {
    public static void main(String[] args) {
        int bad = 0;
        for (String path : args) {
            DefaultReportImpl report = new DefaultReportImpl(path);
            new EpubCheck(new File(path), report).doValidate();
            int problems = report.getFatalErrorCount() + report.getErrorCount() + report.getWarningCount();
            if (problems != 0) {
                bad++;
                System.out.println("NOT CLEAN: " + path + " (" + report.getFatalErrorCount() + " fatal, "
                        + report.getErrorCount() + " errors, " + report.getWarningCount() + " warnings)");
            }
        }
        System.out.println("EPUBCheck: " + args.length + " books, " + bad + " with errors or warnings");
        System.exit(bad == 0 ? 0 : 1);
    }
}
