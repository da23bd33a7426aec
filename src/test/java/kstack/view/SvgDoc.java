package kstack.view;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** An SVG parsed with the JDK's XML parser (no DTD, no external entities): elements by id, class. */
final class SvgDoc {
  final Document doc;
  final Map<String, Element> byId = new HashMap<>();

  SvgDoc(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setNamespaceAware(true);
    doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(
        StandardCharsets.UTF_8)));
    NodeList all = doc.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (e.hasAttribute("id") && byId.put(e.getAttribute("id"), e) != null) {
        throw new AssertionError("duplicate id " + e.getAttribute("id"));
      }
    }
  }

  /** The elements under root whose class attribute holds cls. */
  static List<Element> withClass(Element root, String cls) {
    List<Element> out = new ArrayList<>();
    NodeList all = root.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
        out.add(e);
      }
    }
    return out;
  }

  List<Element> withClass(String cls) {
    return withClass(doc.getDocumentElement(), cls);
  }
}
