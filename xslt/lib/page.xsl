<?xml version="1.0" encoding="UTF-8"?>
<!-- The one page skeleton of every HTML output: head, site navigation, main, footer. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"
      include-content-type="no"/>

  <!-- Where the stylesheet of the site is, relative to the page. -->
  <xsl:param name="css-href" as="xs:string" select="'edition.css'"/>
  <!-- The stylesheet itself, for a page that stands alone (transform): inlined, not linked. -->
  <xsl:param name="css" as="xs:string" select="''"/>

  <xsl:variable name="st:site-pages" as="element(st:page)+">
    <st:page href="index.html" key="home">Home</st:page>
    <st:page href="persons.html" key="person">Persons</st:page>
    <st:page href="places.html" key="place">Places</st:page>
    <st:page href="orgs.html" key="org">Organisations</st:page>
    <st:page href="works.html" key="work">Works</st:page>
    <st:page href="about.html" key="about">About</st:page>
    <st:page href="search.html" key="search">Search</st:page>
  </xsl:variable>

  <!-- The site's script (popovers, the plain-reading switch, search); '' for none. The page
       works without it: tips show on hover and focus, notes by jumping to them. -->
  <xsl:param name="js-href" as="xs:string" select="'edition.js'"/>

  <!-- A complete page; its main part is what mode st:page-content makes of $content (each
       entry stylesheet has its template), written straight into the page: a document's
       text is most of its page, and built apart as a parameter, then copied in, it cost a
       fifth of the transform. $current marks the page in the site navigation. -->
  <xsl:template name="st:page">
    <xsl:param name="title" as="xs:string" required="yes"/>
    <xsl:param name="lang" as="xs:string" select="'en'"/>
    <xsl:param name="current" as="xs:string" select="''"/>
    <xsl:param name="header" as="node()*" select="()"/>
    <xsl:param name="content" as="node()" required="yes"/>
    <xsl:param name="footer" as="node()*" select="()"/>
    <!-- Attributes for main: what the search index takes from the page (search.py). -->
    <xsl:param name="main-attributes" as="attribute()*" select="()"/>
    <html lang="{$lang}">
      <head>
        <meta charset="UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="serge-tei"/>
        <title><xsl:value-of select="$title"/></title>
        <xsl:choose>
          <xsl:when test="$css != ''"><style><xsl:value-of select="$css"/></style></xsl:when>
          <xsl:otherwise><link rel="stylesheet" href="{$css-href}"/></xsl:otherwise>
        </xsl:choose>
        <xsl:if test="$js-href != ''">
          <script src="{$js-href}" defer="defer"></script>
        </xsl:if>
      </head>
      <body>
        <a class="skip" href="#main">Skip to the text</a>
        <header class="site">
          <xsl:if test="$site">
            <nav aria-label="Site">
              <ul>
                <xsl:apply-templates select="$st:site-pages" mode="st:nav">
                  <xsl:with-param name="current" select="$current"/>
                </xsl:apply-templates>
              </ul>
            </nav>
          </xsl:if>
          <xsl:sequence select="$header"/>
        </header>
        <main id="main" tabindex="-1">
          <xsl:sequence select="$main-attributes"/>
          <xsl:apply-templates select="$content" mode="st:page-content"/>
        </main>
        <footer class="site">
          <xsl:sequence select="$footer"/>
          <p>Published with serge-tei from TEI P5 sources.</p>
        </footer>
      </body>
    </html>
  </xsl:template>

  <xsl:mode name="st:page-content" on-no-match="fail" use-accumulators="#all"/>

  <xsl:mode name="st:nav" on-no-match="fail"/>
  <xsl:template match="st:page" mode="st:nav">
    <xsl:param name="current" as="xs:string"/>
    <li>
      <a href="{@href}">
        <xsl:if test="@key = $current">
          <xsl:attribute name="aria-current" select="'page'"/>
        </xsl:if>
        <xsl:value-of select="."/>
      </a>
    </li>
  </xsl:template>

</xsl:stylesheet>
